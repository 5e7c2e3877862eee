"""SASL/SCRAM credentials (describe/alter_user_scram_credentials)."""

from ._model import _OrderedEnum


class ScramMechanism(_OrderedEnum):
    """A SASL/SCRAM mechanism."""

    UNKNOWN = 0
    SCRAM_SHA_256 = 1
    SCRAM_SHA_512 = 2


class ScramCredentialInfo:
    """A credential's mechanism (ScramMechanism) and iteration count."""

    def __init__(self, mechanism, iterations):
        self.mechanism = mechanism
        self.iterations = iterations


class UserScramCredentialsDescription:
    """A user's credentials (ScramCredentialInfo list)."""

    def __init__(self, user, scram_credential_infos):
        self.user = user
        self.scram_credential_infos = scram_credential_infos


class UserScramCredentialAlteration:
    """A change to a user's credentials (see the two subclasses)."""

    def __init__(self, user):
        self.user = user


class UserScramCredentialUpsertion(UserScramCredentialAlteration):
    """Sets a credential: scram_credential_info (mechanism, iterations), password (bytes)
    and salt (bytes; None: a random one)."""

    def __init__(self, user, scram_credential_info, password, salt=None):
        super(UserScramCredentialUpsertion, self).__init__(user)
        self.scram_credential_info = scram_credential_info
        self.password = password
        self.salt = salt


class UserScramCredentialDeletion(UserScramCredentialAlteration):
    """Removes the user's credential of one mechanism."""

    def __init__(self, user, mechanism):
        super(UserScramCredentialDeletion, self).__init__(user)
        self.mechanism = mechanism

//! SCRAM credentials: the upsertions and deletions AlterUserScramCredentials sends.

/// A new or changed SCRAM credential's secret parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScramUpsert {
    pub iterations: i32,
    pub password: Vec<u8>,
    pub salt: Vec<u8>,
}

/// One change to a user's SCRAM credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserScramCredentialAlteration {
    pub user: String,
    /// RD_KAFKA_SCRAM_MECHANISM_*, kept unchecked as librdkafka keeps it here.
    pub mechanism: i32,
    /// None: a deletion.
    pub upsert: Option<ScramUpsert>,
}

impl UserScramCredentialAlteration {
    /// Sets the credential of `user` for `mechanism`. An empty salt is replaced by 64
    /// random bytes, as librdkafka does.
    pub fn upsertion(
        user: String,
        mechanism: i32,
        iterations: i32,
        password: Vec<u8>,
        salt: Vec<u8>,
    ) -> UserScramCredentialAlteration {
        let salt = if salt.is_empty() { random_salt() } else { salt };
        UserScramCredentialAlteration {
            user,
            mechanism,
            upsert: Some(ScramUpsert { iterations, password, salt }),
        }
    }

    /// Deletes the credential of `user` for `mechanism`.
    pub fn deletion(user: String, mechanism: i32) -> UserScramCredentialAlteration {
        UserScramCredentialAlteration { user, mechanism, upsert: None }
    }
}

/// 64 bytes from OpenSSL's CSPRNG, as librdkafka salts an upsertion given none (none if
/// the CSPRNG fails).
fn random_salt() -> Vec<u8> {
    let mut s = vec![0u8; 64];
    match openssl::rand::rand_bytes(&mut s) {
        Ok(()) => s,
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_salt_becomes_a_random_one() {
        let a = UserScramCredentialAlteration::upsertion("u".into(), 1, 4096, b"pw".to_vec(), Vec::new());
        let b = UserScramCredentialAlteration::upsertion("u".into(), 1, 4096, b"pw".to_vec(), Vec::new());
        let (sa, sb) = (&a.upsert.as_ref().unwrap().salt, &b.upsert.as_ref().unwrap().salt);
        assert_eq!((sa.len(), sb.len()), (64, 64));
        assert_ne!(sa, sb);
        let given =
            UserScramCredentialAlteration::upsertion("u".into(), 2, 8192, b"pw".to_vec(), b"s".to_vec());
        assert_eq!(given.upsert.map(|u| (u.iterations, u.salt)), Some((8192, b"s".to_vec())));
        assert_eq!(UserScramCredentialAlteration::deletion("u".into(), 2).upsert, None);
    }
}

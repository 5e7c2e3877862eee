#!/usr/bin/env python3
"""A SASL-terminating Kafka-protocol front for test brokers that have no SASL.

librdkafka's mock cluster speaks plaintext only. This server sits in front of it: one
listener on 127.0.0.1 per upstream broker; a client connection is authenticated here, with
the real libraries for each mechanism, and only then are its requests passed to the broker
behind (the same upstream connection carries them, both ways, unchanged).

  sasl_server.py --upstream HOST:PORT[,HOST:PORT...] --mechanism PLAIN,OAUTHBEARER,GSSAPI
                 [--plain-user USER:PASSWORD]... [--oauth-allow-unsecured]
                 [--oauth-jwks-url URL [--oauth-ca FILE] [--oauth-issuer ISS]
                  [--oauth-audience AUD]] [--gssapi-keytab FILE [--gssapi-principal P]]
                 [--session-lifetime-ms L] [--max-seconds S]

The upstream brokers are found by a Metadata request to --upstream (node id, host, port of
each); one listener per broker is opened on --listen-host (default 127.0.0.1), free ports.

Kafka behaviour modelled (Apache Kafka's SaslServerAuthenticator, KIP-43/152/255/368):
  * ApiVersions (18) is allowed before authentication. It is forwarded to the broker on the
    connection's own upstream connection (opened on the first forwarded request), and the
    reply is rewritten to list SaslHandshake (17) v0..1 and SaslAuthenticate (36) v0..2
    (--handshake-max / --authenticate-max lower these).
  * SaslHandshake answers the enabled mechanisms; an unknown mechanism gets
    UNSUPPORTED_SASL_MECHANISM (33) with the list, then the connection is closed.
    Handshake v1 is followed by SaslAuthenticate requests; handshake v0 by raw
    size-prefixed SASL tokens (the pre-KIP-152 framing; a failure there just closes).
  * SaslAuthenticate v0/v1/v2 (v2 flexible). A failure is answered with
    SASL_AUTHENTICATION_FAILED (58) and an error message, then the connection is closed.
    Like Kafka: a mechanism's own "authentication failed" message goes to the client
    (PLAIN: "Authentication failed: Invalid username or password"); any other mechanism
    error is not disclosed and the client gets "Authentication failed during
    authentication due to invalid credentials with SASL mechanism <M>" ("during
    re-authentication" on a re-authentication).
  * OAUTHBEARER (RFC 7628): a token that does not validate is answered, with error code 0,
    by the RFC 7628 error JSON as a server challenge, {"status":"invalid_token"}; the
    client must then send the dummy response "\\x01", and gets SASL_AUTHENTICATION_FAILED
    with that JSON as the error message. Unsecured (alg "none") tokens are accepted only
    with --oauth-allow-unsecured (then `sub` and `exp` are required, exp in the future);
    signed tokens are checked with PyJWT against the keys at --oauth-jwks-url (signature,
    exp, sub, and issuer/audience when given). An authorization id (n,a=X,) must equal
    the token's principal.
  * GSSAPI (RFC 4752) with the python gssapi acceptor and a keytab: context tokens in
    SaslAuthenticate frames (an acceptor output token that completes the context is sent
    and the client's empty reply awaited), then the wrapped security-layer offer
    (no security layer, max buffer 65536, as Kafka's Java server sends), the client's
    wrapped choice unwrapped and checked. Principal = the initiator's Kerberos name.
  * Any other request before authentication completed closes the connection (Kafka
    closes it too; during the SASL exchange it would send ILLEGAL_SASL_STATE first).
    SaslAuthenticate without a handshake on an authenticated connection is answered with
    ILLEGAL_SASL_STATE (34).
  * Re-authentication (KIP-368): SaslHandshake + SaslAuthenticate again on an
    authenticated connection are answered here (after the responses to requests already
    forwarded, so the order of responses is kept); the mechanism and the principal must
    not change. The session lifetime (SaslAuthenticate v1+ session_lifetime_ms) is
    --session-lifetime-ms (Kafka's connections.max.reauth.ms), or for OAUTHBEARER the
    time left until the token's exp when that is shorter (or when no L is set), as Kafka
    computes it; 0 when neither. A request other than SaslHandshake arriving after the
    session expired closes the connection (Kafka: "Disconnecting expired channel").

stdout, one line per event (flushed):
  LISTEN <broker id> <port>          per upstream broker, at start; then `READY <n>`
  AUTH ok mech=<M> principal=<P> conn=<n> reauth=<k> hs=<v> sa=<v|raw>
                                     k = re-authentications so far on the connection;
                                     hs/sa = SaslHandshake / SaslAuthenticate versions
                                     used (sa=raw: legacy framing after handshake v0)
  OAUTH conn=<n> principal=<P> extensions=<k=v,...> claims=<c,...> scope=<json|-> life_s=<s|->
                                     before an OAUTHBEARER `AUTH ok`: the client's SASL
                                     extensions (RFC 7628 kvpairs other than auth; sorted,
                                     values ascii()-escaped, empty when none), the token's
                                     claim names (sorted), its scope claim, exp - iat
  AUTH fail mech=<M> conn=<n> reason=<text>           (reason last: it may hold spaces)
  EXPIRED conn=<n> principal=<P>     a request came after the session expired: closed
  REJECT conn=<n> api=<key> state=<s> a request not allowed in that state: closed
Passwords and tokens are never printed. Diagnostics go to stderr.

stdin: one command per line, answered on stdout with `OK [data]` / `ERR msg`:
  ping | stats | session_lifetime_ms <L> | quit
The server exits on stdin EOF or quit, when its parent process goes away, and in any case
after --max-seconds (default 1800).
"""

import argparse
import asyncio
import hmac
import json
import os
import ssl
import struct
import sys
import threading
import time

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "brokers"))
from _common import hard_exit_after, log, start_parent_watchdog  # noqa: E402

API_PRODUCE, API_METADATA, API_SASL_HANDSHAKE, API_API_VERSIONS, API_SASL_AUTHENTICATE = 0, 3, 17, 18, 36
ERR_NONE = 0
ERR_UNSUPPORTED_SASL_MECHANISM = 33
ERR_ILLEGAL_SASL_STATE = 34
ERR_SASL_AUTHENTICATION_FAILED = 58
MAX_FRAME = 100 * 1024 * 1024


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------- wire encoding helpers


class Short(Exception):
    """A frame ended before a field did (or had bytes left where none may be)."""


class Buf:
    def __init__(self, data, pos=0):
        self.d = data
        self.p = pos

    def take(self, n):
        if n < 0 or self.p + n > len(self.d):
            raise Short("need %d bytes at %d of %d" % (n, self.p, len(self.d)))
        b = self.d[self.p:self.p + n]
        self.p += n
        return b

    def i8(self):
        return struct.unpack(">b", self.take(1))[0]

    def i16(self):
        return struct.unpack(">h", self.take(2))[0]

    def i32(self):
        return struct.unpack(">i", self.take(4))[0]

    def uvarint(self):
        shift = value = 0
        while True:
            b = self.take(1)[0]
            value |= (b & 0x7F) << shift
            if not b & 0x80:
                return value
            shift += 7
            if shift > 35:
                raise Short("varint too long")

    def string(self):  # nullable STRING (int16 length)
        n = self.i16()
        return None if n < 0 else self.take(n).decode("utf-8", "replace")

    def compact_string(self):
        n = self.uvarint()
        return None if n == 0 else self.take(n - 1).decode("utf-8", "replace")

    def bytes_(self):
        n = self.i32()
        return None if n < 0 else self.take(n)

    def compact_bytes(self):
        n = self.uvarint()
        return None if n == 0 else self.take(n - 1)

    def tagged(self):  # skips a tagged-field section, returns its raw bytes
        start = self.p
        for _ in range(self.uvarint()):
            self.uvarint()
            self.take(self.uvarint())
        return self.d[start:self.p]

    def rest(self):
        return self.d[self.p:]


def uvarint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def enc_string(s):
    if s is None:
        return struct.pack(">h", -1)
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def enc_compact_string(s):
    if s is None:
        return b"\x00"
    b = s.encode()
    return uvarint(len(b) + 1) + b


def enc_bytes(b):
    return struct.pack(">i", len(b)) + b


def enc_compact_bytes(b):
    return uvarint(len(b) + 1) + b


# Request header v2 (tagged fields after client_id) from these versions on; only the APIs
# whose bodies this server reads are listed.
FIRST_FLEXIBLE = {API_PRODUCE: 9, API_API_VERSIONS: 3, API_SASL_AUTHENTICATE: 2}


def parse_request_header(frame):
    """-> (api_key, api_version, corr_id, client_id, Buf positioned at the body)."""
    b = Buf(frame)
    key, ver, corr = b.i16(), b.i16(), b.i32()
    client_id = b.string()
    flex = FIRST_FLEXIBLE.get(key)
    if flex is not None and ver >= flex:
        b.tagged()
    return key, ver, corr, client_id, b


def produce_expects_response(body, ver):
    """False for a Produce request with acks=0 (the broker sends no response)."""
    try:
        if ver >= 3:
            if ver >= FIRST_FLEXIBLE[API_PRODUCE]:
                body.compact_string()
            else:
                body.string()
        return body.i16() != 0
    except Short:
        return True


def rewrite_api_versions(body, ver, extra):
    """ApiVersions response body (after the v0 response header) with the entries of `extra`
    ({api_key: (min, max)}) put in place of the broker's own, or the body unchanged when it
    does not parse. A broker answers a version it does not support with a v0 body, hence
    the second try."""
    for v in ([ver, 0] if ver else [0]):
        try:
            b = Buf(body)
            err = b.i16()
            flex = v >= 3
            n = (b.uvarint() - 1) if flex else b.i32()
            entries = {}
            for _ in range(max(n, 0)):
                k, lo, hi = b.i16(), b.i16(), b.i16()
                entries[k] = (lo, hi, b.tagged() if flex else b"")
            throttle = b.i32() if v >= 1 else None
            tail = b""
            if flex:
                start = b.p
                b.tagged()
                tail = body[start:b.p]
            if b.p != len(body):
                raise Short("trailing bytes")
            for k, (lo, hi) in extra.items():
                entries[k] = (lo, hi, b"\x00" if flex else b"")
            out = [struct.pack(">h", err)]
            out.append(uvarint(len(entries) + 1) if flex else struct.pack(">i", len(entries)))
            for k in sorted(entries):
                lo, hi, tags = entries[k]
                out.append(struct.pack(">hhh", k, lo, hi) + tags)
            if throttle is not None:
                out.append(struct.pack(">i", throttle))
            out.append(tail)
            return b"".join(out)
        except Short:
            continue
    return body


# ---------------------------------------------------------------- mechanisms


class AuthFail(Exception):
    """SaslAuthenticationException-like: `client_msg` is sent to the client."""

    def __init__(self, client_msg, reason=None):
        super().__init__(client_msg)
        self.client_msg = client_msg
        self.reason = reason or client_msg


class SaslFail(Exception):
    """SaslException-like: the reason stays here; the client gets Kafka's generic message."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class Step:
    def __init__(self, data, principal=None, lifetime_ms=None, extensions=None, claims=None):
        # Bytes for the client (challenge or final); None: the mechanism has nothing to say
        # (an empty SaslAuthenticate auth_bytes; no frame at all in the legacy framing, as
        # Kafka does for GSSAPI's last step, while PLAIN/OAUTHBEARER answer b"").
        self.data = data
        self.principal = principal  # set when complete
        self.lifetime_ms = lifetime_ms  # credential lifetime left (OAUTHBEARER), or None
        self.extensions = extensions  # OAUTHBEARER: the client's SASL extensions (dict)
        self.claims = claims  # OAUTHBEARER: the token's claims (dict)


class Plain:
    name = "PLAIN"

    def __init__(self, cfg):
        self.users = cfg.plain_users

    def step(self, data):
        parts = data.split(b"\x00")
        if len(parts) != 3:
            raise SaslFail("Invalid SASL/PLAIN response: expected 3 tokens, got %d" % len(parts))
        authzid, user, password = (p.decode("utf-8", "replace") for p in parts)
        if not user:
            raise AuthFail("Authentication failed: username not specified")
        if not password:
            raise AuthFail("Authentication failed: password not specified")
        if authzid and authzid != user:
            raise AuthFail("Authentication failed: Client requested an authorization id that is different from username")
        known = self.users.get(user)
        if known is None or not hmac.compare_digest(known.encode(), password.encode()):
            raise AuthFail("Authentication failed: Invalid username or password",
                           "unknown user %s" % user if known is None else "wrong password for %s" % user)
        return Step(b"", principal=user)


class OAuthBearer:
    name = "OAUTHBEARER"
    SIGNED_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]

    def __init__(self, cfg):
        self.cfg = cfg
        self.error_json = None
        self.pending_reason = None

    @staticmethod
    def parse_client_first(data):
        """RFC 7628 client initial response -> (authzid, token, extensions)."""
        try:
            s = data.decode("ascii")
        except UnicodeDecodeError:
            raise SaslFail("Invalid OAUTHBEARER client first message: not ASCII")
        if not s.startswith("n,"):
            raise SaslFail("Invalid OAUTHBEARER client first message: no gs2 header 'n,'")
        comma = s.find(",", 2)
        if comma < 0:
            raise SaslFail("Invalid OAUTHBEARER client first message: gs2 header not closed")
        authz = s[2:comma]
        if authz and not authz.startswith("a="):
            raise SaslFail("Invalid OAUTHBEARER client first message: bad gs2 authzid")
        authzid = authz[2:].replace("=2C", ",").replace("=3D", "=") if authz else ""
        rest = s[comma + 1:]
        if not rest.startswith("\x01") or not rest.endswith("\x01\x01"):
            raise SaslFail("Invalid OAUTHBEARER client first message: bad \\x01 separators")
        kvs = {}
        for kv in rest[1:-2].split("\x01"):
            k, eq, v = kv.partition("=")
            if not eq or not k:
                raise SaslFail("Invalid OAUTHBEARER client first message: bad key=value")
            kvs[k] = v
        auth = kvs.pop("auth", None)
        if auth is None:
            raise SaslFail("Invalid OAUTHBEARER client first message: no auth=")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer":
            raise SaslFail("Invalid scheme in OAUTHBEARER client first message: %s" % scheme)
        return authzid, token.strip(), kvs

    def validate(self, token):
        """-> (principal, exp_ms, claims) or raises ValueError(reason)."""
        import jwt  # PyJWT

        cfg = self.cfg
        skew = cfg.oauth_clock_skew_s
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as e:
            raise ValueError("malformed token: %s" % e)
        alg = str(header.get("alg", ""))
        if alg.lower() == "none":
            if not cfg.oauth_allow_unsecured:
                raise ValueError("unsecured token (alg none) not accepted")
            try:
                claims = jwt.decode(token, options={"verify_signature": False})
            except jwt.PyJWTError as e:
                raise ValueError("malformed unsecured token: %s" % e)
            if not isinstance(claims.get("exp"), (int, float)):
                raise ValueError("no numeric exp claim")
            if claims["exp"] + skew < time.time():
                raise ValueError("token expired")
            iat = claims.get("iat")
            if iat is not None and (not isinstance(iat, (int, float)) or iat - skew > time.time()):
                raise ValueError("bad iat claim")
        else:
            if cfg.jwks is None:
                raise ValueError("signed token (alg %s) but no JWKS configured" % alg)
            if alg not in self.SIGNED_ALGS:
                raise ValueError("alg %s not accepted" % alg)
            try:
                key = cfg.jwks.get_signing_key_from_jwt(token)
                claims = jwt.decode(
                    token, key.key, algorithms=[alg],
                    audience=cfg.oauth_audience, issuer=cfg.oauth_issuer, leeway=skew,
                    options={"require": ["exp"], "verify_aud": cfg.oauth_audience is not None,
                             "verify_iss": cfg.oauth_issuer is not None})
            except jwt.PyJWTError as e:
                raise ValueError("%s: %s" % (type(e).__name__, e))
        principal = claims.get(cfg.oauth_principal_claim)
        if not isinstance(principal, str) or not principal:
            raise ValueError("no %s claim" % cfg.oauth_principal_claim)
        return principal, int(claims["exp"] * 1000), claims

    def step(self, data):
        if self.error_json is not None:
            if data == b"\x01":
                raise AuthFail(self.error_json, self.pending_reason)
            raise SaslFail("expected the \\x01 response after the error challenge")
        authzid, token, exts = self.parse_client_first(data)
        try:
            principal, exp_ms, claims = self.validate(token)
        except ValueError as e:
            # RFC 7628 3.2.2 / KIP-255: the error goes out as a challenge; the client answers
            # \x01 and only then gets the failure.
            self.error_json = '{"status":"invalid_token"}'
            self.pending_reason = str(e)
            return Step(self.error_json.encode())
        if authzid and authzid != principal:
            raise AuthFail("Authentication failed: Client requested an authorization id (%s) that is "
                           "different from the token's principal name (%s)" % (authzid, principal))
        return Step(b"", principal=principal, lifetime_ms=exp_ms - int(time.time() * 1000),
                    extensions=exts, claims=claims)


class Gssapi:
    name = "GSSAPI"
    MAX_BUF = 65536

    def __init__(self, cfg):
        import gssapi

        self.gssapi = gssapi
        self.ctx = gssapi.SecurityContext(creds=cfg.gss_creds, usage="accept")
        self.stage = "context"
        self.peer = None

    def offer(self):
        # RFC 4752 3.1: bit-mask of offered layers (1 = none) + max buffer, wrapped.
        msg = bytes([1]) + self.MAX_BUF.to_bytes(3, "big")
        self.stage = "offered"
        return Step(self.ctx.wrap(msg, False).message)

    def step(self, data):
        gss = self.gssapi
        try:
            if self.stage == "context":
                out = self.ctx.step(data)
                if not self.ctx.complete:
                    return Step(out or b"")
                self.peer = str(self.ctx.initiator_name)
                if out:
                    self.stage = "await-empty"
                    return Step(out)
                return self.offer()
            if self.stage == "await-empty":
                return self.offer()
            msg = self.ctx.unwrap(data).message
        except gss.exceptions.GSSError as e:
            raise SaslFail("GSSAPI: %s" % " ".join(str(e).split()))
        if len(msg) < 4:
            raise SaslFail("GSSAPI: security layer reply too short (%d bytes)" % len(msg))
        if msg[0] != 1:
            raise SaslFail("GSSAPI: client chose security layer 0x%02x; only 'none' was offered" % msg[0])
        authzid = msg[4:].decode("utf-8", "replace")
        if authzid and authzid != self.peer:
            raise SaslFail("GSSAPI: authorization id %s differs from the authenticated %s" % (authzid, self.peer))
        return Step(None, principal=self.peer)


MECHS = {"PLAIN": Plain, "OAUTHBEARER": OAuthBearer, "GSSAPI": Gssapi}


# ---------------------------------------------------------------- connections


class Server:
    def __init__(self, cfg):
        self.cfg = cfg
        self.conn_seq = 0
        self.conns = set()
        self.stats = {"conns": 0, "auth_ok": 0, "auth_fail": 0, "reauth": 0, "expired": 0, "rejected": 0}


class Conn:
    def __init__(self, srv, reader, writer, upstream):
        srv.conn_seq += 1
        srv.stats["conns"] += 1
        self.n = srv.conn_seq
        self.srv = srv
        self.cfg = srv.cfg
        self.r, self.w = reader, writer
        self.upstream = upstream  # (host, port)
        self.ur = self.uw = None
        self.pump_task = None
        self.pending = {}  # corr id -> (api key, version) of forwarded requests awaiting a reply
        self.drained = asyncio.Event()
        self.drained.set()
        self.state = "new"  # new -> authenticating [-> raw] -> authenticated
        self.mech = None  # the mechanism object of the exchange in progress
        self.session_mech = None
        self.principal = None
        self.auths = 0
        self.expires = None  # monotonic deadline of the session, or None
        self.reauthenticating = False
        self.bad_reauth_mech = None
        self.hs_ver, self.sa_ver = -1, "?"  # SaslHandshake / SaslAuthenticate versions used

    # -- output
    def send(self, corr, body, flexible_header=False):
        head = struct.pack(">i", corr) + (b"\x00" if flexible_header else b"")
        self.w.write(struct.pack(">i", len(head) + len(body)) + head + body)

    async def close_after_flush(self):
        try:
            await asyncio.wait_for(self.w.drain(), 5)
        except Exception:
            pass
        self.w.close()

    # -- upstream
    async def ensure_upstream(self):
        if self.uw is not None:
            return
        self.ur, self.uw = await asyncio.wait_for(asyncio.open_connection(*self.upstream), 10)
        self.pump_task = asyncio.ensure_future(self.pump())

    async def pump(self):
        """Broker -> client: responses in the order the broker sends them."""
        try:
            while True:
                head = await self.ur.readexactly(4)
                (size,) = struct.unpack(">i", head)
                if size < 4 or size > MAX_FRAME:
                    log("conn %d: bad upstream frame size %d" % (self.n, size))
                    break
                frame = await self.ur.readexactly(size)
                (corr,) = struct.unpack(">i", frame[:4])
                info = self.pending.pop(corr, None)
                if info and info[0] == API_API_VERSIONS:
                    frame = frame[:4] + rewrite_api_versions(frame[4:], info[1], self.cfg.advertise)
                    head = struct.pack(">i", len(frame))
                self.w.write(head + frame)
                if not self.pending:
                    self.drained.set()
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        finally:
            self.w.close()

    async def forward(self, frame, key, ver, expects_response=True):
        await self.ensure_upstream()
        if expects_response:
            (corr,) = struct.unpack(">i", frame[4:8])
            self.pending[corr] = (key, ver)
            self.drained.clear()
        self.uw.write(struct.pack(">i", len(frame)) + frame)
        await self.uw.drain()

    # -- events
    def reject(self, key, why):
        self.srv.stats["rejected"] += 1
        say("REJECT conn=%d api=%d state=%s" % (self.n, key, self.state))
        log("conn %d: closing: %s" % (self.n, why))

    def auth_fail(self, reason):
        self.srv.stats["auth_fail"] += 1
        mech = self.mech.name if self.mech else (self.session_mech or "?")
        say("AUTH fail mech=%s conn=%d reason=%s" % (mech, self.n, reason))

    # -- the connection
    async def run(self):
        try:
            while True:
                try:
                    head = await self.r.readexactly(4)
                except (asyncio.IncompleteReadError, ConnectionError):
                    break
                (size,) = struct.unpack(">i", head)
                if size < 0 or size > MAX_FRAME or (size < 8 and self.state != "raw"):
                    log("conn %d: bad frame size %d" % (self.n, size))
                    break
                frame = await self.r.readexactly(size)
                if not await self.on_frame(frame):
                    break
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        finally:
            if self.state in ("authenticating", "raw") and self.mech is not None:
                pend = getattr(self.mech, "pending_reason", None)
                if pend:
                    self.auth_fail("client closed after the error challenge (%s)" % pend)
            await self.close_after_flush()
            if self.uw is not None:
                self.uw.close()
            if self.pump_task is not None:
                self.pump_task.cancel()

    async def on_frame(self, frame):
        """Handles one client frame; False closes the connection."""
        if self.state == "raw":
            return await self.on_raw_token(frame)
        key, ver, corr = struct.unpack(">hhi", frame[:8])
        if key == API_SASL_HANDSHAKE:
            return await self.on_handshake(frame)
        if key == API_SASL_AUTHENTICATE:
            if self.state == "authenticating":
                return await self.on_authenticate(frame)
            if self.state == "authenticated":
                await self.wait_drained()
                body = struct.pack(">h", ERR_ILLEGAL_SASL_STATE)
                msg = "SaslAuthenticate request received after successful authentication"
                if ver >= 2:
                    self.send(corr, body + enc_compact_string(msg) + enc_compact_bytes(b"") + struct.pack(">q", 0) + b"\x00", True)
                else:
                    self.send(corr, body + enc_string(msg) + enc_bytes(b"") + (struct.pack(">q", 0) if ver >= 1 else b""))
                return True
            self.reject(key, "SaslAuthenticate before SaslHandshake")
            return False
        if self.state == "authenticated":
            if self.expires is not None and time.monotonic() >= self.expires:
                self.srv.stats["expired"] += 1
                say("EXPIRED conn=%d principal=%s" % (self.n, self.principal))
                return False
            expects = True
            if key == API_PRODUCE:
                try:
                    _, _, _, _, body = parse_request_header(frame)
                    expects = produce_expects_response(body, ver)
                except Short:
                    pass
            await self.forward(frame, key, ver, expects)
            return True
        if key == API_API_VERSIONS and self.state == "new":
            await self.forward(frame, key, ver)
            return True
        self.reject(key, "request %d before authentication completed" % key)
        return False

    async def wait_drained(self):
        try:
            await asyncio.wait_for(self.drained.wait(), 30)
        except asyncio.TimeoutError:
            log("conn %d: upstream did not answer in 30 s" % self.n)
            raise ConnectionError("upstream stalled")

    async def on_handshake(self, frame):
        _, ver, corr, _, body = parse_request_header(frame)
        mech = body.string() or ""
        if self.state not in ("new", "authenticated"):
            self.reject(API_SASL_HANDSHAKE, "SaslHandshake in state %s" % self.state)
            return False
        await self.wait_drained()  # responses to earlier requests go first
        enabled = self.cfg.mechanisms
        resp = struct.pack(">h", ERR_NONE if mech in enabled else ERR_UNSUPPORTED_SASL_MECHANISM)
        resp += struct.pack(">i", len(enabled)) + b"".join(enc_string(m) for m in enabled)
        self.send(corr, resp)
        if mech not in enabled:
            self.mech = None
            self.srv.stats["auth_fail"] += 1
            say("AUTH fail mech=%s conn=%d reason=unsupported mechanism" % (mech, self.n))
            return False
        self.reauthenticating = self.state == "authenticated"
        self.bad_reauth_mech = None
        if self.reauthenticating and mech != self.session_mech:
            self.bad_reauth_mech = mech
        try:
            self.mech = MECHS[mech](self.cfg)
        except Exception as e:  # e.g. the GSSAPI acceptor cannot start
            log("conn %d: cannot start %s: %s" % (self.n, mech, e))
            return False
        self.state = "raw" if ver == 0 else "authenticating"
        self.hs_ver, self.sa_ver = ver, "raw" if ver == 0 else "?"
        return True

    def generic_failure(self):
        return ("Authentication failed during %s due to invalid credentials with SASL mechanism %s"
                % ("re-authentication" if self.reauthenticating else "authentication", self.mech.name))

    async def evaluate(self, data):
        """-> (Step, None) or (None, (client message, reason))."""
        if self.bad_reauth_mech:
            return None, ("SASL mechanism '%s' requested by client is not supported for re-authentication of "
                          "mechanism '%s'" % (self.bad_reauth_mech, self.session_mech), "mechanism changed on re-authentication")
        try:
            step = await asyncio.to_thread(self.mech.step, data)
        except AuthFail as e:
            return None, (e.client_msg, e.reason)
        except SaslFail as e:
            return None, (self.generic_failure(), e.reason)
        except Exception as e:  # a library error: same as SaslFail
            return None, (self.generic_failure(), "%s: %s" % (type(e).__name__, e))
        if step.principal is not None and self.reauthenticating and step.principal != self.principal:
            return None, ("Cannot change principals during re-authentication from %s to %s" % (self.principal, step.principal),
                          "principal changed on re-authentication")
        return step, None

    def complete(self, step):
        """Authentication done: session bookkeeping; returns session_lifetime_ms."""
        L = self.cfg.session_lifetime_ms
        cred = step.lifetime_ms
        if cred is not None and L:
            lifetime = max(0, min(cred, L))
        elif cred is not None:
            lifetime = max(0, cred)
        else:
            lifetime = L or 0
        self.expires = time.monotonic() + lifetime / 1000.0 if (L or cred is not None) else None
        reauth = self.auths
        self.auths += 1
        self.session_mech = self.mech.name
        self.principal = step.principal
        self.srv.stats["auth_ok"] += 1
        if reauth:
            self.srv.stats["reauth"] += 1
        if step.extensions is not None:
            c = step.claims or {}
            life = "-"
            if isinstance(c.get("iat"), (int, float)) and isinstance(c.get("exp"), (int, float)):
                life = ("%.3f" % (c["exp"] - c["iat"])).rstrip("0").rstrip(".")
            say("OAUTH conn=%d principal=%s extensions=%s claims=%s scope=%s life_s=%s" % (
                self.n, step.principal,
                ",".join("%s=%s" % (k, ascii(v)[1:-1]) for k, v in sorted(step.extensions.items())),
                ",".join(sorted(c)), json.dumps(c["scope"], separators=(",", ":")) if "scope" in c else "-", life))
        say("AUTH ok mech=%s principal=%s conn=%d reauth=%d hs=%d sa=%s"
            % (self.mech.name, step.principal, self.n, reauth, self.hs_ver, self.sa_ver))
        self.state = "authenticated"
        self.mech = None
        return lifetime

    async def on_authenticate(self, frame):
        _, ver, corr, _, body = parse_request_header(frame)
        flex = ver >= 2
        self.sa_ver = str(ver)
        try:
            data = (body.compact_bytes() if flex else body.bytes_()) or b""
        except Short:
            self.reject(API_SASL_AUTHENTICATE, "malformed SaslAuthenticate")
            return False
        step, failure = await self.evaluate(data)

        def respond(err, msg, auth, lifetime):
            if flex:
                b = struct.pack(">h", err) + enc_compact_string(msg) + enc_compact_bytes(auth)
                b += struct.pack(">q", lifetime) + b"\x00"
            else:
                b = struct.pack(">h", err) + enc_string(msg) + enc_bytes(auth)
                if ver >= 1:
                    b += struct.pack(">q", lifetime)
            self.send(corr, b, flex)

        if failure:
            client_msg, reason = failure
            self.auth_fail(reason)
            self.mech = None
            respond(ERR_SASL_AUTHENTICATION_FAILED, client_msg, b"", 0)
            return False
        lifetime = self.complete(step) if step.principal is not None else 0
        respond(ERR_NONE, None, step.data or b"", lifetime)
        return True

    async def on_raw_token(self, frame):
        step, failure = await self.evaluate(frame)
        if failure:
            self.auth_fail(failure[1])
            self.mech = None
            return False
        if step.principal is not None:
            self.complete(step)
        if step.data is not None:
            self.w.write(struct.pack(">i", len(step.data)) + step.data)
        return True


# ---------------------------------------------------------------- startup


async def discover_brokers(bootstrap):
    """Metadata v1 (no topics) to the first reachable bootstrap broker -> [(id, host, port)]."""
    last = None
    for hp in bootstrap.split(","):
        host, _, port = hp.strip().rpartition(":")
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(host, int(port)), 10)
        except (OSError, asyncio.TimeoutError) as e:
            last = e
            continue
        try:
            req = struct.pack(">hhi", API_METADATA, 1, 1) + enc_string("kafkars-sasl-front") + struct.pack(">i", 0)
            w.write(struct.pack(">i", len(req)) + req)
            await w.drain()
            (size,) = struct.unpack(">i", await asyncio.wait_for(r.readexactly(4), 10))
            b = Buf(await asyncio.wait_for(r.readexactly(size), 10))
            b.i32()  # correlation id
            brokers = []
            for _ in range(b.i32()):
                node, h, p = b.i32(), b.string(), b.i32()
                b.string()  # rack
                brokers.append((node, h, p))
            return sorted(brokers)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, Short) as e:
            last = e
        finally:
            w.close()
    raise RuntimeError("no upstream broker answered Metadata (%s)" % last)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--upstream", required=True, help="bootstrap HOST:PORT[,...] of the plaintext brokers")
    ap.add_argument("--listen-host", default="127.0.0.1")
    ap.add_argument("--mechanism", action="append", default=[], help="PLAIN, OAUTHBEARER, GSSAPI (comma list or repeated)")
    ap.add_argument("--plain-user", action="append", default=[], metavar="USER:PASSWORD")
    ap.add_argument("--oauth-allow-unsecured", action="store_true")
    ap.add_argument("--oauth-jwks-url")
    ap.add_argument("--oauth-ca", help="CA file for an https JWKS URL")
    ap.add_argument("--oauth-issuer")
    ap.add_argument("--oauth-audience")
    ap.add_argument("--oauth-principal-claim", default="sub")
    ap.add_argument("--oauth-clock-skew-s", type=int, default=30)
    ap.add_argument("--gssapi-keytab")
    ap.add_argument("--gssapi-principal", help="accept only this service principal (default: any in the keytab)")
    ap.add_argument("--session-lifetime-ms", type=int, default=0)
    ap.add_argument("--handshake-max", type=int, default=1, choices=(0, 1))
    ap.add_argument("--authenticate-max", type=int, default=2, choices=(0, 1, 2))
    ap.add_argument("--max-seconds", type=float, default=1800)
    cfg = ap.parse_args(argv)
    mechs = []
    for m in cfg.mechanism or ["PLAIN"]:
        mechs += [x.strip().upper() for x in m.split(",") if x.strip()]
    for m in mechs:
        if m not in MECHS:
            ap.error("unknown mechanism %s" % m)
    cfg.mechanisms = mechs
    cfg.plain_users = {}
    for u in cfg.plain_user:
        name, sep, pw = u.partition(":")
        if not sep:
            ap.error("--plain-user expects USER:PASSWORD")
        cfg.plain_users[name] = pw
    cfg.advertise = {API_SASL_HANDSHAKE: (0, cfg.handshake_max), API_SASL_AUTHENTICATE: (0, cfg.authenticate_max)}
    cfg.jwks = None
    if "OAUTHBEARER" in mechs and cfg.oauth_jwks_url:
        import jwt

        ctx = ssl.create_default_context(cafile=cfg.oauth_ca) if cfg.oauth_ca else None
        cfg.jwks = jwt.PyJWKClient(cfg.oauth_jwks_url, ssl_context=ctx, timeout=10)
    cfg.gss_creds = None
    if "GSSAPI" in mechs:
        if not cfg.gssapi_keytab:
            ap.error("GSSAPI needs --gssapi-keytab")
        os.environ.setdefault("KRB5RCACHETYPE", "none")  # no replay cache files in /var/tmp
        import gssapi

        name = None
        if cfg.gssapi_principal:
            name = gssapi.Name(cfg.gssapi_principal, gssapi.NameType.kerberos_principal)
        cfg.gss_creds = gssapi.Credentials(name=name, usage="accept", store={"keytab": cfg.gssapi_keytab})
    return cfg


def main(argv):
    cfg = parse_args(argv)
    srv = Server(cfg)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    stop = asyncio.Event()

    def request_stop():
        loop.call_soon_threadsafe(stop.set)

    def stdin_commands():
        for line in sys.stdin:
            argv = line.split()
            if not argv:
                continue
            if argv[0] in ("quit", "exit"):
                say("OK")
                break
            if argv[0] == "ping":
                say("OK")
            elif argv[0] == "stats":
                say("OK " + " ".join("%s=%d" % kv for kv in sorted(srv.stats.items())))
            elif argv[0] == "session_lifetime_ms" and len(argv) == 2 and argv[1].isdigit():
                cfg.session_lifetime_ms = int(argv[1])
                say("OK")
            else:
                say("ERR unknown command %r" % argv[0])
        request_stop()

    threading.Thread(target=stdin_commands, name="stdin", daemon=True).start()
    start_parent_watchdog(request_stop)
    hard_exit_after(cfg.max_seconds + 15)

    async def serve():
        brokers = await discover_brokers(cfg.upstream)
        servers = []
        for node, host, port in brokers:
            def handler(r, w, up=(host, port)):
                c = Conn(srv, r, w, up)
                srv.conns.add(c)
                t = asyncio.ensure_future(c.run())
                t.add_done_callback(lambda _t: srv.conns.discard(c))
            s = await asyncio.start_server(handler, cfg.listen_host, 0)
            servers.append(s)
            say("LISTEN %d %d" % (node, s.sockets[0].getsockname()[1]))
        say("READY %d" % len(servers))
        try:
            await asyncio.wait_for(stop.wait(), cfg.max_seconds)
        except asyncio.TimeoutError:
            log("--max-seconds %s reached, exiting" % cfg.max_seconds)
        for s in servers:
            s.close()
        for c in list(srv.conns):
            c.w.close()
            if c.uw is not None:
                c.uw.close()

    code = 0
    try:
        loop.run_until_complete(serve())
    except RuntimeError as e:
        log(str(e))
        code = 2
    hard_exit_after(5)
    sys.stdout.flush()
    os._exit(code)


if __name__ == "__main__":
    main(sys.argv[1:])

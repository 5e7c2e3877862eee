//! SASL SCRAM-SHA-256/512 (RFC 5802, RFC 7677) as a client: nonce, salted password,
//! client proof, and the server's signature checked before the session counts as
//! authenticated. Texts are librdkafka's.

use openssl::base64;
use openssl::hash::MessageDigest;
use openssl::memcmp;
use openssl::pkey::PKey;
use openssl::sign::Signer;

#[derive(Clone, Copy)]
pub enum Hash {
    Sha1,
    Sha256,
    Sha512,
}

impl Hash {
    fn md(self) -> MessageDigest {
        match self {
            Hash::Sha1 => MessageDigest::sha1(),
            Hash::Sha256 => MessageDigest::sha256(),
            Hash::Sha512 => MessageDigest::sha512(),
        }
    }
}

enum State {
    ServerFirst,
    ServerFinal { server_signature: Vec<u8> },
    Done,
}

/// SCRAM's Hi(): PBKDF2-HMAC of `password` over `salt`, as long as the hash's digest
/// (the salted password of RFC 5802, which AlterUserScramCredentials sends too).
pub fn salted_password(
    hash: Hash,
    password: &[u8],
    salt: &[u8],
    iterations: usize,
) -> Result<Vec<u8>, String> {
    let md = hash.md();
    let mut salted = vec![0u8; md.size()];
    openssl::pkcs5::pbkdf2_hmac(password, salt, iterations, md, &mut salted).map_err(|e| e.to_string())?;
    Ok(salted)
}

pub struct Scram {
    hash: Hash,
    user: String,
    password: String,
    cnonce: String,
    client_first_bare: String,
    state: State,
}

/// `=` and `,` escaped in a SCRAM user name (RFC 5802 saslname).
fn saslname(s: &str) -> String {
    s.replace('=', "=3D").replace(',', "=2C")
}

/// The value of attribute `key` ("r=...,s=...") in a SCRAM message.
fn attr<'a>(msg: &'a str, key: char, what: &str) -> Result<&'a str, String> {
    msg.split(',')
        .find_map(|kv| kv.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
        .ok_or_else(|| format!("{what}: could not find attribute ({key})"))
}

fn hmac(md: MessageDigest, key: &[u8], data: &[u8]) -> Result<Vec<u8>, String> {
    let k = PKey::hmac(key).map_err(|_| "HMAC failed".to_string())?;
    let mut s = Signer::new(md, &k).map_err(|_| "HMAC failed".to_string())?;
    s.update(data).map_err(|_| "HMAC failed".to_string())?;
    s.sign_to_vec().map_err(|_| "HMAC failed".to_string())
}

impl Scram {
    pub fn new(hash: Hash, user: String, password: String) -> Scram {
        let mut raw = [0u8; 24];
        let _ = openssl::rand::rand_bytes(&mut raw);
        let cnonce = base64::encode_block(&raw).replace(['+', '/', '='], "x");
        Scram { hash, user, password, cnonce, client_first_bare: String::new(), state: State::ServerFirst }
    }

    /// client-first-message: no channel binding, the user and our nonce.
    pub fn first(&mut self) -> Vec<u8> {
        self.client_first_bare = format!("n={},r={}", saslname(&self.user), self.cnonce);
        format!("n,,{}", self.client_first_bare).into_bytes()
    }

    /// The next message for the server's `input`; None once the server's signature
    /// was verified.
    pub fn step(&mut self, input: &[u8]) -> Result<Option<Vec<u8>>, String> {
        let msg = String::from_utf8_lossy(input).into_owned();
        match std::mem::replace(&mut self.state, State::Done) {
            State::ServerFirst => {
                let (out, sig) = self.client_final(&msg)?;
                self.state = State::ServerFinal { server_signature: sig };
                Ok(Some(out))
            }
            State::ServerFinal { server_signature } => {
                if let Ok(e) = attr(&msg, 'e', "server-error in server-final-message") {
                    return Err(format!("SASL SCRAM authentication failed: broker responded with {e}"));
                }
                let Ok(v) = attr(&msg, 'v', "verifier in server-final-message") else {
                    return Err(
                        "SASL SCRAM authentication failed: no verifier or server-error returned from broker"
                            .into(),
                    );
                };
                let ours = base64::encode_block(&server_signature);
                if v.len() != ours.len() || !memcmp::eq(v.as_bytes(), ours.as_bytes()) {
                    return Err(format!(
                        "SASL SCRAM authentication failed: ServerSignature mismatch (server's {v} != ours {ours})"
                    ));
                }
                Ok(None)
            }
            State::Done => Err("SASL SCRAM authentication already completed".into()),
        }
    }

    /// client-final-message for server-first-message `msg`, and the ServerSignature
    /// the server must answer with.
    fn client_final(&self, msg: &str) -> Result<(Vec<u8>, Vec<u8>), String> {
        if msg.starts_with("m=") {
            return Err("Unsupported mandatory SCRAM extension".into());
        }
        let nonce = attr(msg, 'r', "Server nonce in server-first-message")?;
        if !nonce.starts_with(&self.cnonce) || nonce.len() <= self.cnonce.len() {
            return Err("Server/client nonce mismatch in server-first-message".into());
        }
        let salt = attr(msg, 's', "Salt in server-first-message")?;
        let salt = base64::decode_block(salt).map_err(|_| "Invalid Base64 Salt in server-first-message")?;
        let iters = attr(msg, 'i', "Iteration count in server-first-message")?;
        let iters: usize =
            iters.parse().ok().filter(|&i| i > 0 && i <= i32::MAX as usize).ok_or(
                "Invalid value (not integer or too large) for Iteration count in server-first-message",
            )?;
        let md = self.hash.md();
        let salted = salted_password(self.hash, self.password.as_bytes(), &salt, iters)
            .map_err(|_| "Failed to build SCRAM client-final-message")?;
        let client_key = hmac(md, &salted, b"Client Key")?;
        let stored_key = openssl::hash::hash(md, &client_key).map_err(|_| "hash failed")?;
        let without_proof = format!("c=biws,r={nonce}");
        let auth_message = format!("{},{},{}", self.client_first_bare, msg, without_proof);
        let client_signature = hmac(md, &stored_key, auth_message.as_bytes())?;
        let proof: Vec<u8> = client_key.iter().zip(&client_signature).map(|(a, b)| a ^ b).collect();
        let server_key = hmac(md, &salted, b"Server Key")?;
        let server_signature = hmac(md, &server_key, auth_message.as_bytes())?;
        let out = format!("{without_proof},p={}", base64::encode_block(&proof));
        Ok((out.into_bytes(), server_signature))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7677's SCRAM-SHA-256 example exchange, with its nonce.
    #[test]
    fn rfc7677_example() {
        let mut s = Scram::new(Hash::Sha256, "user".into(), "pencil".into());
        s.cnonce = "rOprNGfwEbeRWgbNEkqO".into();
        assert_eq!(s.first(), b"n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        let server_first =
            b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        let out = s.step(server_first).unwrap().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        assert_eq!(s.step(b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=").unwrap(), None);
    }

    #[test]
    fn wrong_server_signature_and_errors() {
        let mut s = Scram::new(Hash::Sha512, "a=b,c".into(), "pw".into());
        assert!(String::from_utf8(s.first()).unwrap().starts_with("n,,n=a=3Db=2Cc,r="));
        let sf = format!("r={}srv,s=c2FsdA==,i=4096", s.cnonce);
        s.step(sf.as_bytes()).unwrap().unwrap();
        let e = s.step(b"v=AAAA").unwrap_err();
        assert!(e.contains("ServerSignature mismatch"), "{e}");
        let mut s = Scram::new(Hash::Sha256, "u".into(), "p".into());
        s.first();
        assert!(s.step(b"r=other,s=c2FsdA==,i=1").unwrap_err().contains("nonce mismatch"));
        let mut s = Scram::new(Hash::Sha256, "u".into(), "p".into());
        s.first();
        let sf = format!("r={}x,s=c2FsdA==,i=1", s.cnonce);
        s.step(sf.as_bytes()).unwrap();
        assert_eq!(
            s.step(b"e=invalid-proof").unwrap_err(),
            "SASL SCRAM authentication failed: broker responded with invalid-proof"
        );
    }
}

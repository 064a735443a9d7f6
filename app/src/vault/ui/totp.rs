//! A login's one-time code (RFC 6238) from its stored secret: base32, or an `otpauth://` URI
//! with its period, digits and algorithm. Computed with `totp-rs` in the browser only (the
//! server renders a locked vault, so it never has a secret to compute from).

/// A code and how many seconds it has left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code {
    pub code: String,
    pub remaining: u64,
    pub period: u64,
}

/// The code at `now` (seconds since the epoch); none when the secret does not parse.
#[cfg(feature = "hydrate")]
pub fn code(secret: &str, now: u64) -> Option<Code> {
    use totp_rs::{Algorithm, Secret, TOTP};
    let secret = secret.trim();
    let (encoded, period, digits, algorithm) = match secret.strip_prefix("otpauth://totp/") {
        Some(rest) => {
            let query = rest.split_once('?').map_or("", |(_, q)| q);
            let mut encoded = None;
            let (mut period, mut digits, mut algorithm) = (30, 6, Algorithm::SHA1);
            for (name, value) in form_urlencoded::parse(query.as_bytes()) {
                match name.to_ascii_lowercase().as_str() {
                    "secret" => encoded = Some(value.into_owned()),
                    "period" => period = value.parse().ok().filter(|p| *p > 0)?,
                    "digits" => digits = value.parse().ok().filter(|d| (6..=10).contains(d))?,
                    "algorithm" => {
                        algorithm = match value.to_ascii_uppercase().as_str() {
                            "SHA1" => Algorithm::SHA1,
                            "SHA256" => Algorithm::SHA256,
                            "SHA512" => Algorithm::SHA512,
                            _ => return None,
                        }
                    }
                    _ => {}
                }
            }
            (encoded?, period, digits, algorithm)
        }
        None => (secret.to_owned(), 30, 6, Algorithm::SHA1),
    };
    let cleaned: String = encoded
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = Secret::Encoded(cleaned).to_bytes().ok()?;
    if bytes.is_empty() {
        return None;
    }
    let totp = TOTP {
        algorithm,
        digits,
        skew: 0,
        step: period,
        secret: bytes,
    };
    Some(Code {
        code: totp.generate(now),
        remaining: period - now % period,
        period,
    })
}

#[cfg(not(feature = "hydrate"))]
pub fn code(_secret: &str, _now: u64) -> Option<Code> {
    None
}

use serde::{Deserialize, Serialize};

use crate::ids::{OrganizationId, ProviderId, SessionId};
use crate::members::types::{MemberStatus, OrgUserType};
use crate::providers::types::ProviderUserType;

/// Passwords shorter than this are refused (NIST SP 800-63B accepts 8; a password manager's
/// master password deserves more).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// zxcvbn's score a new password needs: 2 ("somewhat guessable") keeps out the common
/// passwords and patterns that a length rule alone lets through ("password1234").
pub const MIN_PASSWORD_SCORE: u8 = 2;
/// Long enough for any passphrase, short enough that hashing it is not a denial of service.
pub const MAX_PASSWORD_CHARS: usize = 128;
pub const MAX_NAME_CHARS: usize = 100;
/// How long a mailed verification link works.
pub const VERIFICATION_LINK_HOURS: i64 = 24;
/// RFC 5321's limit for a forward path.
pub const MAX_EMAIL_CHARS: usize = 254;

/// Lowercases and trims an email; `None` when it is not plausibly an address. Full RFC 5322
/// parsing rejects nothing that matters here; the invitation mail proves the address.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let plausible = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
        && !email.contains(char::is_control)
        && email.matches('@').count() == 1
        && email.chars().count() <= MAX_EMAIL_CHARS;
    plausible.then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_or_refused() {
        assert_eq!(
            normalize_email("  Ann@Example.COM "),
            Some("ann@example.com".into())
        );
        assert_eq!(normalize_email("ann@example"), None);
        assert_eq!(normalize_email("ann example@x.org"), None);
        assert_eq!(normalize_email("@x.org"), None);
        assert_eq!(normalize_email("a@b@x.org"), None);
        assert_eq!(normalize_email(&format!("{}@x.org", "a".repeat(260))), None);
    }
}

/// What the browser knows about the signed-in user: enough for the top bar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub name: String,
    pub email: String,
    pub products: Products,
    /// Invitations waiting for this user's answer (the Password Manager points them out).
    pub pending_invitations: u64,
    pub theme: crate::vocabulary::Theme,
    /// When an unlocked tab locks itself again.
    pub lock: LockTimeout,
    /// An admin recovered the account: every page points to choosing a new master password,
    /// and nothing but the account itself opens until then.
    pub must_change_password: bool,
}

/// How long a tab keeps the account's keys without activity before it locks (forgets them;
/// unlocking asks for the master password again). Keys are never kept past a reload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockTimeout(u16);

impl LockTimeout {
    /// The choices offered, in minutes; `0` is "only when the page is reloaded".
    pub const CHOICES: [u16; 7] = [1, 5, 15, 30, 60, 240, 0];
    /// Bitwarden's web vault starts at 15 minutes too.
    pub const DEFAULT: Self = Self(15);

    /// One of [`Self::CHOICES`], else `None`.
    pub fn from_minutes(minutes: i64) -> Option<Self> {
        Self::CHOICES
            .into_iter()
            .find(|choice| i64::from(*choice) == minutes)
            .map(Self)
    }

    /// Minutes of inactivity before locking; `None`: never while the page stays open.
    pub const fn idle_minutes(self) -> Option<u16> {
        match self.0 {
            0 => None,
            minutes => Some(minutes),
        }
    }

    pub const fn minutes(self) -> u16 {
        self.0
    }
}

/// Something the switcher links to, by id and display name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named<I> {
    pub id: I,
    pub name: String,
}

/// What the product switcher offers beyond the Password Manager, which everyone may open.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Products {
    /// Organizations whose Admin Console the user may open, by name; provider clients are
    /// capped at [`SWITCHER_CLIENTS`] (a provider may have thousands: its Clients page lists
    /// them all).
    pub organizations: Vec<Named<OrganizationId>>,
    /// More provider clients exist than are listed: the Provider Portal entries lead to them.
    pub more_clients: bool,
    /// Providers the user is a confirmed member of.
    pub providers: Vec<Named<ProviderId>>,
    /// Of those, the ones whose Manage, Billing and Settings sections the user may open
    /// (Provider Admin): the side navigation shows those sections only there.
    pub managed_providers: Vec<ProviderId>,
}

/// How many provider clients the switcher lists before pointing to the Clients page.
pub const SWITCHER_CLIENTS: u64 = 10;

/// A password's estimated strength, for the meter beside a new-password field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strength {
    /// 0 (too guessable) to 4 (very unguessable), zxcvbn's scale.
    pub score: u8,
}

impl Strength {
    pub const fn acceptable(self) -> bool {
        self.score >= MIN_PASSWORD_SCORE
    }
}

/// What the account page needs to enable two-step login: the secret (also typed by hand when
/// scanning is impossible) and its QR code as an image URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepSetup {
    pub secret: String,
    pub qr_data_url: String,
}

/// Where a password sign-in leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInStep {
    /// Signed in.
    Done,
    /// Two-step login is on: the code is asked next.
    SecondStep,
    /// The account was made before zero knowledge: the browser sends the password once more,
    /// with the keys it makes from it (`upgrade_sign_in`).
    Upgrade,
}

/// The signed-in account's keys as the server keeps them: wrapped, with how to derive the key
/// that opens them (VAULT.md §1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnKeys {
    /// The fingerprint phrase's material (Bitwarden uses the account's id).
    pub user: crate::ids::UserId,
    pub kdf: crate::crypto::Kdf,
    pub salt: String,
    /// The user key, type 2 under the stretched master key.
    pub user_key: crate::crypto::EncString,
    /// base64 SPKI DER.
    pub public_key: String,
    /// PKCS#8 DER, type 2 under the user key.
    pub private_key: crate::crypto::EncString,
}

/// One of the user's sessions, as the account page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: SessionId,
    /// RFC 3339, shown in the viewer's own time zone by the browser.
    pub signed_in_at: String,
    pub last_seen_at: String,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    /// The session making this request.
    pub current: bool,
}

/// A membership in an organization or provider, for the account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipInfo<R> {
    pub name: String,
    pub role: R,
    pub status: MemberStatus,
    /// The account's copy of the place's key (given at Confirm), wrapped to its public key:
    /// the keys section shows, once unlocked, that it opens.
    pub key: Option<crate::crypto::WrappedKey>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub name: String,
    pub email: String,
    /// The address was proved (a mailed link, an invitation link, the operator).
    pub email_verified: bool,
    /// An address the account is waiting to move to, until its link is used.
    pub pending_email: Option<String>,
    /// Mail is on: verification links can be sent (else the operator verifies).
    pub mail_on: bool,
    pub two_step_enabled: bool,
    pub lock: LockTimeout,
    /// How the master key is derived; `None` for an account made before zero knowledge.
    pub kdf: Option<crate::crypto::Kdf>,
    pub sessions: Vec<SessionInfo>,
    pub organizations: Vec<MembershipInfo<OrgUserType>>,
    pub providers: Vec<MembershipInfo<ProviderUserType>>,
}

/// What a registration form led to (the page to show next).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Registered {
    /// Signed in (an invitation link proved the address).
    SignedIn,
    /// A link went to the address: the account is created when it is opened.
    CheckMail,
    /// Mail is off: sign in with the new account.
    SignInNext,
}

/// What an email change led to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailChangeStep {
    /// The address was already this one, and verified.
    Unchanged,
    /// Waiting for `email` to be verified: by its mailed link, or by the operator when
    /// mail is off.
    Pending { email: String, mail_on: bool },
}

/// What the browser needs before it can derive an account's master key (VAULT.md §2): how,
/// and with which salt. An address without an account gets an answer of the same shape,
/// made up but always the same for that address, so the answer tells nobody who has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prelogin {
    pub kdf: crate::crypto::Kdf,
    pub salt: String,
}

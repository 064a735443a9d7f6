//! Organization policies (Admin Console → Settings → Policies) and what account recovery
//! needs to show.

use serde::{Deserialize, Serialize};

/// The policies an organization can turn on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolicyKind {
    /// Admins (and provider users) may reset enrolled members' passwords.
    AccountRecovery,
    /// Members must have two-step login on.
    TwoStepLogin,
    /// Members' passwords meet a minimum length and strength.
    MasterPassword,
}

impl PolicyKind {
    pub const ALL: [Self; 3] = [
        Self::AccountRecovery,
        Self::TwoStepLogin,
        Self::MasterPassword,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AccountRecovery => "account_recovery",
            Self::TwoStepLogin => "two_step_login",
            Self::MasterPassword => "master_password",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// The bounds a master-password policy may set: at least the portal's own minimum length,
/// at most its maximum; strength on zxcvbn's 0–4 scale.
pub const MIN_POLICY_LENGTH: u32 = 12;
pub const MAX_POLICY_LENGTH: u32 = 128;
pub const MAX_POLICY_STRENGTH: u32 = 4;

/// What a master-password policy requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRules {
    pub min_length: u32,
    /// zxcvbn's score, 0 (anything) to 4 (very strong).
    pub min_strength: u32,
}

impl Default for PasswordRules {
    fn default() -> Self {
        Self {
            min_length: MIN_POLICY_LENGTH,
            min_strength: 3,
        }
    }
}

/// The Policies page: the policies, and the organization's public key (base64 SPKI), whose
/// fingerprint phrase the page shows beside account recovery (members compare it when they
/// enrol). `None` for an organization without keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyPage {
    pub policies: Policies,
    pub public_key: Option<String>,
}

/// An organization's policies as its Policies page shows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policies {
    pub account_recovery: bool,
    pub two_step_login: bool,
    /// `Some` while the master-password policy is on.
    pub master_password: Option<PasswordRules>,
}

//! The one application error type. Server code returns it; the browser receives it as JSON and
//! shows it through [`ErrorText`], the single place where an error becomes a translated
//! sentence. Internal detail (database text, I/O errors) is logged on the server and never
//! serialized.

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid session: the caller must sign in.
    #[error("unauthenticated")]
    Unauthenticated,
    /// Signed in, but the guard refused the capability.
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A concurrent change won (a unique constraint or a stale read).
    #[error("conflict")]
    Conflict,
    /// Input refused, with the field each problem belongs to.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Unknown email or wrong password: deliberately the same answer.
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("too many attempts; retry in {minutes} minutes")]
    TooManyAttempts { minutes: u32 },
    /// Every password check is taken (they are capped to the cores): try again in a moment.
    #[error("busy")]
    Busy,
    /// The request could not be read (a malformed or missing argument). The detail is
    /// logged, never answered: it would describe the server's parser to whoever probes it.
    #[error("bad request")]
    BadRequest,
    /// A business rule refused the action; nothing changed.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// Anything unexpected; the detail went to the server log.
    #[error("internal error")]
    Internal,
    /// The request never reached the server function, or its answer did not decode.
    #[error("transport: {0}")]
    Transport(String),
}

/// The form fields errors can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Email,
    Name,
    Password,
    PasswordConfirm,
    CurrentPassword,
    Locale,
    Code,
    BusinessName,
    BillingEmail,
    Plan,
    BillingCycle,
    Seats,
    OwnerEmail,
    /// The address list of an invitation form, as a whole (none, too many).
    Emails,
    /// One address of an invitation form, by its position in the list (from 0).
    EmailAt(u16),
    /// A member type (Provider Admin / Service User, Owner / Admin / User / Custom).
    MemberType,
    /// The first and last day of a date range.
    DateFrom,
    DateTo,
    /// An invoice month (`YYYY-MM`).
    Month,
    /// A postal address.
    Address,
    /// A tax (VAT) id.
    TaxId,
    /// A Custom member's permission flags.
    Permissions,
    /// A master-password policy's minimum length and strength.
    MinLength,
    MinStrength,
    /// The box that confirms an action with consequences the form could not show beforehand.
    Confirm,
}

/// What is wrong with a field; each has one translated sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooShort(usize),
    TooLong(usize),
    InvalidEmail,
    Taken,
    Mismatch,
    Unsupported,
    Wrong,
    /// A new password zxcvbn finds too guessable.
    TooWeak,
    /// Not a whole number.
    NotANumber,
    BelowMinimum(i64),
    AboveMaximum(i64),
    /// Seats below the members already taking one (DESIGN.md rule 2).
    BelowUsed(i64),
    /// A Service User may not purchase seats while the provider's setting is off (rule 8).
    PurchaseNeedsProviderAdmin,
    /// The address already belongs to a member (or an invitation) here.
    AlreadyMember,
    /// The same address twice in one list.
    Duplicate,
    /// More entries than one form may carry.
    TooMany(usize),
    /// Not a calendar date (`YYYY-MM-DD`).
    InvalidDate,
    /// A range's end before its start.
    BeforeStart,
    /// A range longer than this many days.
    RangeTooLong(i64),
    /// The month is not over yet (or lies in the future).
    MonthNotOver,
    /// A tax id with characters tax authorities do not print.
    InvalidTaxId,
    /// More invitations than the seats left (DESIGN.md rule 2); the number left.
    SeatsLeft(i64),
    /// Turning account recovery off would withdraw this many members' enrolments: the form
    /// asks again, with a box to tick.
    WithdrawsEnrolments(i64),
    /// A NUL, line break or other control character in a one-line text.
    ControlCharacters,
}

/// Why a business rule refused an action (DESIGN.md §3); each has one translated sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// Rule 3: the organization became a client of a provider in the meantime.
    AlreadyClient,
    /// Rule 9: not (or no longer) an organization this admin may add.
    NotEligible,
    /// Rule 10: unlinking needs a confirmed Owner who is not a member of the provider.
    NoOwnerOutsideProvider,
    /// `PROVIDER_SETUP=operator`: providers are set up by the operator.
    ProviderSetupClosed,
    /// Rule 1: a provider always keeps a confirmed Provider Admin.
    LastProviderAdmin,
    /// Only members who accepted their invitation can be confirmed.
    NotAccepted,
    /// The member's status changed in the meantime (another admin acted first).
    StatusChanged,
    /// One's own membership is left from the account area, not changed from the list.
    NotOnYourself,
    /// The invitation link is unknown (mistyped, or replaced by a newer invitation).
    InvitationInvalid,
    /// The invitation link was already used.
    InvitationUsed,
    /// The invitation link is past its expiry.
    InvitationExpired,
    /// The invitation was sent to another address than the signed-in account's.
    InvitationForAnotherEmail,
    /// Rule 1: an organization outside providers keeps a confirmed Owner.
    LastOwner,
    /// Giving, changing or acting on rights the actor does not hold itself (an Admin and an
    /// Owner, a Custom user and an Admin).
    BeyondOwnRights,
    /// Rule 2: restoring a member takes a seat, and none is left.
    NoSeatsLeft,
    /// The organization's account-recovery policy is off.
    RecoveryOff,
    /// The member has not enrolled in account recovery.
    NotEnrolled,
    /// The organization requires two-step login, and the actor has it off.
    TwoStepRequired,
    /// The verification link is unknown (mistyped, or replaced by a newer one).
    VerificationInvalid,
    /// The verification link was already used.
    VerificationUsed,
    /// The verification link is past its expiry.
    VerificationExpired,
    /// Pending invitations are answered only from a verified address (anyone can type any
    /// address when registering); the invitation's link still works.
    EmailNotVerified,
    /// The two-step setup was started too long ago (or in another tab): start again.
    TwoStepSetupExpired,
    /// Keys or envelopes that are not of the form the browser makes (VAULT.md §1): only a
    /// broken or altered client sends them.
    MalformedKeys,
    /// Key-derivation settings outside the accepted bounds (VAULT.md §2).
    KdfOutOfBounds,
    /// An import of more items or folders/collections than one import may bring.
    ImportTooLarge,
    /// Making a key pair needs the browser's WebCrypto, which exists only on a secure page
    /// (HTTPS, or localhost): said in the browser, before anything is sent.
    SecureContextRequired,
    /// This needs the account's keys, and it has none yet (made before zero knowledge): signing
    /// in again sets them up.
    KeysMissing,
    /// This needs the provider's key, and it has none yet (the operator's command line made the
    /// provider) or the caller holds no copy of it.
    ProviderKeyMissing,
    /// This needs the organization's key, and the caller holds no copy of it (or the
    /// organization has none yet).
    OrganizationKeyMissing,
    /// Confirming gives the member the place's key, made in the admin's browser: a Confirm
    /// without it (a plain form, a hand-made request) changes nothing.
    MemberKeyRequired,
    /// The member's public key is not the one the key was made for (their keys changed since
    /// the dialog opened, or the key was meant for someone else).
    MemberKeyChanged,
    /// The member's account has no keys yet, so nothing can be given to it.
    MemberKeysMissing,
    /// An admin recovered this account: it chooses its own master password before it does
    /// anything else (the admin knows the one it signed in with).
    PasswordChangeRequired,
    /// The account's key-derivation settings changed while the recovery dialog was open: the
    /// new password was wrapped with the old ones.
    AccountChanged,
    /// A shared key does not open with the caller's keys (made for someone else, or altered on
    /// the way): nothing was sent.
    KeyDoesNotOpen,
    /// A vault item that is not of the form the browser makes: data of another type, too many
    /// history entries, a number out of range, or over the size an item may have.
    MalformedItem,
    /// An organization's item lives in at least one collection.
    CollectionRequired,
    /// A collection that is not this organization's (or no longer exists).
    UnknownCollection,
    /// A collection the caller may only view items of: they cannot put items in it or change
    /// its items.
    CollectionReadOnly,
    /// A folder that is not the caller's (or no longer exists).
    UnknownFolder,
    /// A member who is not this organization's (or no longer is).
    UnknownMember,
    /// The collection still holds items: the dialog asks again, with a box to tick.
    CollectionNotEmpty,
    /// Only items in the trash are deleted for good.
    NotInTrash,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl FieldError {
    pub const fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }
}

impl AppError {
    /// The HTTP status this error answers with. Server functions answer every error with 500;
    /// the server gives each its meaning here, once, so logs, proxies and scripts see a refusal
    /// for what it is (and `Retry-After` goes with 429).
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict | Self::Refused(_) => 409,
            Self::Invalid(_) => 422,
            Self::TooManyAttempts { .. } | Self::Busy => 429,
            Self::Transport(_) | Self::BadRequest => 400,
            Self::Internal => 500,
        }
    }

    /// One field's problem: the commonest refusal of a form.
    pub fn field(field: Field, problem: Problem) -> Self {
        Self::Invalid(vec![FieldError::new(field, problem)])
    }

    /// The problem reported for `field`, if any (forms show it next to the field).
    pub fn problem_for(&self, field: Field) -> Option<Problem> {
        match self {
            Self::Invalid(errors) => errors.iter().find(|e| e.field == field).map(|e| e.problem),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server this is a request that never reached the function's body (its
    /// arguments did not decode); in the browser, a call that failed on the way.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        {
            tracing::info!(error = %value, "a server function's request could not be read");
            AppError::BadRequest
        }
        #[cfg(not(feature = "ssr"))]
        {
            AppError::Transport(value.to_string())
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

/// The translated sentence for a field's problem.
#[component]
pub fn ProblemText(problem: Problem) -> impl IntoView {
    let i18n = use_i18n();
    move || problem_text(i18n.get_locale(), problem)
}

/// A field's problem in `locale`. Sentences, not a view per sentence: these texts are in every
/// page's first load, and each `t!(…).into_any()` was a view type of its own with its own
/// build, hydrate and rebuild code (about 1 KB of wasm per sentence).
pub fn problem_text(locale: Locale, problem: Problem) -> String {
    match problem {
        Problem::Required => td_string!(locale, problems.required).to_string(),
        Problem::TooShort(min) => td_string!(locale, problems.too_short, count = min).to_string(),
        Problem::TooLong(max) => td_string!(locale, problems.too_long, count = max).to_string(),
        Problem::InvalidEmail => td_string!(locale, problems.invalid_email).to_string(),
        Problem::Taken => td_string!(locale, problems.taken).to_string(),
        Problem::Mismatch => td_string!(locale, problems.mismatch).to_string(),
        Problem::Unsupported => td_string!(locale, problems.unsupported).to_string(),
        Problem::Wrong => td_string!(locale, problems.wrong).to_string(),
        Problem::TooWeak => td_string!(locale, problems.too_weak).to_string(),
        Problem::NotANumber => td_string!(locale, problems.not_a_number).to_string(),
        Problem::BelowMinimum(min) => {
            td_string!(locale, problems.below_minimum, count = min).to_string()
        }
        Problem::AboveMaximum(max) => {
            td_string!(locale, problems.above_maximum, count = max).to_string()
        }
        Problem::BelowUsed(used) => {
            td_string!(locale, problems.below_used, count = used).to_string()
        }
        Problem::PurchaseNeedsProviderAdmin => {
            td_string!(locale, problems.purchase_needs_provider_admin).to_string()
        }
        Problem::AlreadyMember => td_string!(locale, problems.already_member).to_string(),
        Problem::Duplicate => td_string!(locale, problems.duplicate).to_string(),
        Problem::TooMany(max) => td_string!(locale, problems.too_many, count = max).to_string(),
        Problem::InvalidDate => td_string!(locale, problems.invalid_date).to_string(),
        Problem::BeforeStart => td_string!(locale, problems.before_start).to_string(),
        Problem::MonthNotOver => td_string!(locale, problems.month_not_over).to_string(),
        Problem::InvalidTaxId => td_string!(locale, problems.invalid_tax_id).to_string(),
        Problem::SeatsLeft(left) => {
            td_string!(locale, problems.seats_left, count = left).to_string()
        }
        Problem::WithdrawsEnrolments(count) => {
            td_string!(locale, problems.withdraws_enrolments, count = count).to_string()
        }
        Problem::ControlCharacters => td_string!(locale, problems.control_characters).to_string(),
        Problem::RangeTooLong(days) => {
            td_string!(locale, problems.range_too_long, count = days).to_string()
        }
    }
}

/// The translated sentence for an error, reactive to the language.
#[component]
pub fn ErrorText(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    move || error_text(i18n.get_locale(), &error)
}

/// An error's sentence in `locale` (see [`problem_text`] for why a string).
pub fn error_text(locale: Locale, error: &AppError) -> String {
    match *error {
        AppError::Unauthenticated => td_string!(locale, errors.unauthenticated).to_string(),
        AppError::Forbidden => td_string!(locale, errors.forbidden).to_string(),
        AppError::NotFound => td_string!(locale, errors.not_found).to_string(),
        AppError::Conflict => td_string!(locale, errors.conflict).to_string(),
        AppError::Invalid(_) => td_string!(locale, errors.invalid).to_string(),
        AppError::InvalidCredentials => td_string!(locale, errors.invalid_credentials).to_string(),
        AppError::TooManyAttempts { minutes } => {
            td_string!(locale, errors.too_many_attempts, count = minutes).to_string()
        }
        AppError::Busy => td_string!(locale, errors.busy).to_string(),
        AppError::BadRequest => td_string!(locale, errors.bad_request).to_string(),
        AppError::Refused(refusal) => refusal_text(locale, refusal),
        AppError::Internal | AppError::Transport(_) => {
            td_string!(locale, errors.internal).to_string()
        }
    }
}

/// The translated sentence for a refused business rule.
#[component]
pub fn RefusalText(refusal: Refusal) -> impl IntoView {
    let i18n = use_i18n();
    move || refusal_text(i18n.get_locale(), refusal)
}

/// A refusal's sentence in `locale` (see [`problem_text`] for why a string).
pub fn refusal_text(locale: Locale, refusal: Refusal) -> String {
    match refusal {
        Refusal::AlreadyClient => td_string!(locale, refusals.already_client).to_string(),
        Refusal::NotEligible => td_string!(locale, refusals.not_eligible).to_string(),
        Refusal::NoOwnerOutsideProvider => {
            td_string!(locale, refusals.no_owner_outside_provider).to_string()
        }
        Refusal::ProviderSetupClosed => {
            td_string!(locale, refusals.provider_setup_closed).to_string()
        }
        Refusal::LastProviderAdmin => td_string!(locale, refusals.last_provider_admin).to_string(),
        Refusal::NotAccepted => td_string!(locale, refusals.not_accepted).to_string(),
        Refusal::StatusChanged => td_string!(locale, refusals.status_changed).to_string(),
        Refusal::NotOnYourself => td_string!(locale, refusals.not_on_yourself).to_string(),
        Refusal::InvitationInvalid => td_string!(locale, refusals.invitation_invalid).to_string(),
        Refusal::InvitationUsed => td_string!(locale, refusals.invitation_used).to_string(),
        Refusal::InvitationExpired => td_string!(locale, refusals.invitation_expired).to_string(),
        Refusal::InvitationForAnotherEmail => {
            td_string!(locale, refusals.invitation_for_another_email).to_string()
        }
        Refusal::LastOwner => td_string!(locale, refusals.last_owner).to_string(),
        Refusal::BeyondOwnRights => td_string!(locale, refusals.beyond_own_rights).to_string(),
        Refusal::NoSeatsLeft => td_string!(locale, refusals.no_seats_left).to_string(),
        Refusal::RecoveryOff => td_string!(locale, refusals.recovery_off).to_string(),
        Refusal::NotEnrolled => td_string!(locale, refusals.not_enrolled).to_string(),
        Refusal::TwoStepRequired => td_string!(locale, refusals.two_step_required).to_string(),
        Refusal::VerificationInvalid => {
            td_string!(locale, refusals.verification_invalid).to_string()
        }
        Refusal::VerificationUsed => td_string!(locale, refusals.verification_used).to_string(),
        Refusal::VerificationExpired => {
            td_string!(locale, refusals.verification_expired).to_string()
        }
        Refusal::EmailNotVerified => td_string!(locale, refusals.email_not_verified).to_string(),
        Refusal::TwoStepSetupExpired => {
            td_string!(locale, refusals.two_step_setup_expired).to_string()
        }
        Refusal::MalformedKeys => td_string!(locale, refusals.malformed_keys).to_string(),
        Refusal::KdfOutOfBounds => td_string!(locale, refusals.kdf_out_of_bounds).to_string(),
        Refusal::ImportTooLarge => td_string!(locale, refusals.import_too_large).to_string(),
        Refusal::SecureContextRequired => {
            td_string!(locale, refusals.secure_context_required).to_string()
        }
        Refusal::KeysMissing => td_string!(locale, refusals.keys_missing).to_string(),
        Refusal::ProviderKeyMissing => {
            td_string!(locale, refusals.provider_key_missing).to_string()
        }
        Refusal::OrganizationKeyMissing => {
            td_string!(locale, refusals.organization_key_missing).to_string()
        }
        Refusal::MemberKeyRequired => td_string!(locale, refusals.member_key_required).to_string(),
        Refusal::MemberKeyChanged => td_string!(locale, refusals.member_key_changed).to_string(),
        Refusal::MemberKeysMissing => td_string!(locale, refusals.member_keys_missing).to_string(),
        Refusal::PasswordChangeRequired => {
            td_string!(locale, refusals.password_change_required).to_string()
        }
        Refusal::AccountChanged => td_string!(locale, refusals.account_changed).to_string(),
        Refusal::KeyDoesNotOpen => td_string!(locale, refusals.key_does_not_open).to_string(),
        Refusal::MalformedItem => td_string!(locale, refusals.malformed_item).to_string(),
        Refusal::CollectionRequired => td_string!(locale, refusals.collection_required).to_string(),
        Refusal::UnknownCollection => td_string!(locale, refusals.unknown_collection).to_string(),
        Refusal::CollectionReadOnly => {
            td_string!(locale, refusals.collection_read_only).to_string()
        }
        Refusal::UnknownFolder => td_string!(locale, refusals.unknown_folder).to_string(),
        Refusal::UnknownMember => td_string!(locale, refusals.unknown_member).to_string(),
        Refusal::CollectionNotEmpty => {
            td_string!(locale, refusals.collection_not_empty).to_string()
        }
        Refusal::NotInTrash => td_string!(locale, refusals.not_in_trash).to_string(),
    }
}

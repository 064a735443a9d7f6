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
    match problem {
        Problem::Required => t!(i18n, problems.required).into_any(),
        Problem::TooShort(min) => t!(i18n, problems.too_short, count = move || min).into_any(),
        Problem::TooLong(max) => t!(i18n, problems.too_long, count = move || max).into_any(),
        Problem::InvalidEmail => t!(i18n, problems.invalid_email).into_any(),
        Problem::Taken => t!(i18n, problems.taken).into_any(),
        Problem::Mismatch => t!(i18n, problems.mismatch).into_any(),
        Problem::Unsupported => t!(i18n, problems.unsupported).into_any(),
        Problem::Wrong => t!(i18n, problems.wrong).into_any(),
        Problem::TooWeak => t!(i18n, problems.too_weak).into_any(),
        Problem::NotANumber => t!(i18n, problems.not_a_number).into_any(),
        Problem::BelowMinimum(min) => {
            t!(i18n, problems.below_minimum, count = move || min).into_any()
        }
        Problem::AboveMaximum(max) => {
            t!(i18n, problems.above_maximum, count = move || max).into_any()
        }
        Problem::BelowUsed(used) => t!(i18n, problems.below_used, count = move || used).into_any(),
        Problem::PurchaseNeedsProviderAdmin => {
            t!(i18n, problems.purchase_needs_provider_admin).into_any()
        }
        Problem::AlreadyMember => t!(i18n, problems.already_member).into_any(),
        Problem::Duplicate => t!(i18n, problems.duplicate).into_any(),
        Problem::TooMany(max) => t!(i18n, problems.too_many, count = move || max).into_any(),
        Problem::InvalidDate => t!(i18n, problems.invalid_date).into_any(),
        Problem::BeforeStart => t!(i18n, problems.before_start).into_any(),
        Problem::MonthNotOver => t!(i18n, problems.month_not_over).into_any(),
        Problem::InvalidTaxId => t!(i18n, problems.invalid_tax_id).into_any(),
        Problem::SeatsLeft(left) => t!(i18n, problems.seats_left, count = move || left).into_any(),
        Problem::WithdrawsEnrolments(count) => {
            t!(i18n, problems.withdraws_enrolments, count = move || count).into_any()
        }
        Problem::ControlCharacters => t!(i18n, problems.control_characters).into_any(),
        Problem::RangeTooLong(days) => {
            t!(i18n, problems.range_too_long, count = move || days).into_any()
        }
    }
}

/// The translated sentence for an error, reactive to the language.
#[component]
pub fn ErrorText(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    match error {
        AppError::Unauthenticated => t!(i18n, errors.unauthenticated).into_any(),
        AppError::Forbidden => t!(i18n, errors.forbidden).into_any(),
        AppError::NotFound => t!(i18n, errors.not_found).into_any(),
        AppError::Conflict => t!(i18n, errors.conflict).into_any(),
        AppError::Invalid(_) => t!(i18n, errors.invalid).into_any(),
        AppError::InvalidCredentials => t!(i18n, errors.invalid_credentials).into_any(),
        AppError::TooManyAttempts { minutes } => {
            t!(i18n, errors.too_many_attempts, count = move || minutes).into_any()
        }
        AppError::Busy => t!(i18n, errors.busy).into_any(),
        AppError::BadRequest => t!(i18n, errors.bad_request).into_any(),
        AppError::Refused(refusal) => view! { <RefusalText refusal /> }.into_any(),
        AppError::Internal | AppError::Transport(_) => t!(i18n, errors.internal).into_any(),
    }
}

/// The translated sentence for a refused business rule.
#[component]
pub fn RefusalText(refusal: Refusal) -> impl IntoView {
    let i18n = use_i18n();
    match refusal {
        Refusal::AlreadyClient => t!(i18n, refusals.already_client).into_any(),
        Refusal::NotEligible => t!(i18n, refusals.not_eligible).into_any(),
        Refusal::NoOwnerOutsideProvider => t!(i18n, refusals.no_owner_outside_provider).into_any(),
        Refusal::ProviderSetupClosed => t!(i18n, refusals.provider_setup_closed).into_any(),
        Refusal::LastProviderAdmin => t!(i18n, refusals.last_provider_admin).into_any(),
        Refusal::NotAccepted => t!(i18n, refusals.not_accepted).into_any(),
        Refusal::StatusChanged => t!(i18n, refusals.status_changed).into_any(),
        Refusal::NotOnYourself => t!(i18n, refusals.not_on_yourself).into_any(),
        Refusal::InvitationInvalid => t!(i18n, refusals.invitation_invalid).into_any(),
        Refusal::InvitationUsed => t!(i18n, refusals.invitation_used).into_any(),
        Refusal::InvitationExpired => t!(i18n, refusals.invitation_expired).into_any(),
        Refusal::InvitationForAnotherEmail => {
            t!(i18n, refusals.invitation_for_another_email).into_any()
        }
        Refusal::LastOwner => t!(i18n, refusals.last_owner).into_any(),
        Refusal::BeyondOwnRights => t!(i18n, refusals.beyond_own_rights).into_any(),
        Refusal::NoSeatsLeft => t!(i18n, refusals.no_seats_left).into_any(),
        Refusal::RecoveryOff => t!(i18n, refusals.recovery_off).into_any(),
        Refusal::NotEnrolled => t!(i18n, refusals.not_enrolled).into_any(),
        Refusal::TwoStepRequired => t!(i18n, refusals.two_step_required).into_any(),
        Refusal::VerificationInvalid => t!(i18n, refusals.verification_invalid).into_any(),
        Refusal::VerificationUsed => t!(i18n, refusals.verification_used).into_any(),
        Refusal::VerificationExpired => t!(i18n, refusals.verification_expired).into_any(),
        Refusal::EmailNotVerified => t!(i18n, refusals.email_not_verified).into_any(),
        Refusal::TwoStepSetupExpired => t!(i18n, refusals.two_step_setup_expired).into_any(),
        Refusal::MalformedKeys => t!(i18n, refusals.malformed_keys).into_any(),
        Refusal::KdfOutOfBounds => t!(i18n, refusals.kdf_out_of_bounds).into_any(),
        Refusal::KeysMissing => t!(i18n, refusals.keys_missing).into_any(),
        Refusal::ProviderKeyMissing => t!(i18n, refusals.provider_key_missing).into_any(),
        Refusal::OrganizationKeyMissing => t!(i18n, refusals.organization_key_missing).into_any(),
        Refusal::MemberKeyRequired => t!(i18n, refusals.member_key_required).into_any(),
        Refusal::MemberKeyChanged => t!(i18n, refusals.member_key_changed).into_any(),
        Refusal::MemberKeysMissing => t!(i18n, refusals.member_keys_missing).into_any(),
        Refusal::PasswordChangeRequired => t!(i18n, refusals.password_change_required).into_any(),
        Refusal::AccountChanged => t!(i18n, refusals.account_changed).into_any(),
        Refusal::KeyDoesNotOpen => t!(i18n, refusals.key_does_not_open).into_any(),
        Refusal::MalformedItem => t!(i18n, refusals.malformed_item).into_any(),
        Refusal::CollectionRequired => t!(i18n, refusals.collection_required).into_any(),
        Refusal::UnknownCollection => t!(i18n, refusals.unknown_collection).into_any(),
        Refusal::CollectionReadOnly => t!(i18n, refusals.collection_read_only).into_any(),
        Refusal::UnknownFolder => t!(i18n, refusals.unknown_folder).into_any(),
        Refusal::UnknownMember => t!(i18n, refusals.unknown_member).into_any(),
        Refusal::CollectionNotEmpty => t!(i18n, refusals.collection_not_empty).into_any(),
        Refusal::NotInTrash => t!(i18n, refusals.not_in_trash).into_any(),
    }
}

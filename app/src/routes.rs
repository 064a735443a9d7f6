//! Every place in the product has a URL; paths are built here, never by string formatting in
//! components, so a renamed route is a compile-time change in one file.

use crate::ids::{OrganizationId, ProviderId};

/// Every page of the product, written once: its link function (or constant), its path with
/// `:param` segments, and the component that renders it. The router is built from this table
/// (`crate::shell`, through [`pages!`] with its own consumer macro) and so are the link
/// functions below: a path cannot be written twice, and a renamed page changes in this one
/// place. Order matters where two paths could both match (`organizations/new` before
/// `organizations/:organization`).
macro_rules! pages {
    ($then:ident) => {
        $then! {
            /// The Password Manager's start page.
            const HOME = "" => crate::shell::home::HomePage;
            /// Create an account.
            const REGISTER = "register" => crate::accounts::ui::RegisterPage;
            /// After a registration with mail on: "check your inbox", naming the address.
            const REGISTER_SENT = "register/sent" => crate::accounts::ui::RegisterSentPage;
            /// The page a verification link opens (it asks to confirm, then posts the token).
            fn verify_email(token: &str) = "verify-email/:token" => crate::accounts::ui::VerifyEmailPage;
            /// Sign in; `?redirect_to=/path` returns there afterwards.
            const SIGN_IN = "sign-in" => crate::accounts::ui::SignInPage;
            /// The second step of a sign-in with two-step login.
            const TWO_STEP_SIGN_IN = "sign-in/two-step" => crate::accounts::ui::TwoStepSignInPage;
            /// The signed-in user's account: profile, password, two-step login, sessions.
            const ACCOUNT = "account" => crate::accounts::ui::AccountPage;
            /// Turning two-step login on.
            const ACCOUNT_TWO_STEP = "account/two-step" => crate::accounts::ui::TwoStepSetupPage;
            /// Setting up a provider (Password Manager).
            const NEW_PROVIDER = "providers/new" => crate::providers::ui::NewProviderPage;
            /// A provider's Clients page, where the Provider Portal opens.
            fn provider_clients(provider: ProviderId) = "providers/:provider/clients" => crate::clients::ui::ClientsPage;
            /// A provider's members (Manage → Members).
            fn provider_members(provider: ProviderId) = "providers/:provider/manage/members" => crate::members::ui::ProviderMembersPage;
            /// A provider's event log (Manage → Event logs); the CSV export is at `…/export.csv`.
            fn provider_events(provider: ProviderId) = "providers/:provider/manage/events" => crate::events::ui::ProviderEventsPage;
            /// A provider's Settings page.
            fn provider_settings(provider: ProviderId) = "providers/:provider/settings" => crate::providers::ui::ProviderSettingsPage;
            /// Billing → Subscription.
            fn provider_subscription(provider: ProviderId) = "providers/:provider/billing/subscription" => crate::billing::ui::SubscriptionPage;
            /// Billing → Billing history.
            fn provider_billing_history(provider: ProviderId) = "providers/:provider/billing/history" => crate::billing::ui::BillingHistoryPage;
            /// One invoice (printable).
            fn provider_invoice(provider: ProviderId, invoice: i64) = "providers/:provider/billing/invoices/:invoice" => crate::billing::ui::InvoicePage;
            /// Billing → Billing information.
            fn provider_billing_information(provider: ProviderId) = "providers/:provider/billing/information" => crate::billing::ui::BillingInfoPage;
            /// The page an invitation link opens.
            fn invitation(token: &str) = "invitations/:token" => crate::invitations::ui::InvitationPage;
            /// The Password Manager's vault: every item the user may open.
            const VAULT = "vault" => crate::vault::ui::VaultPage;
            /// The Password Manager's organizations, providers and pending invitations.
            const MEMBERSHIPS = "memberships" => crate::accounts::ui::MembershipsPage;
            /// Creating an organization of one's own (Password Manager).
            const NEW_ORGANIZATION = "organizations/new" => crate::organizations::ui::NewOrganizationPage;
            /// An organization's Admin Console.
            fn organization_console(organization: OrganizationId) = "organizations/:organization" => crate::organizations::ui::ConsolePage;
            /// An organization's event log (Admin Console → Reporting → Event logs).
            fn organization_events(organization: OrganizationId) = "organizations/:organization/events" => crate::organizations::ui::OrganizationEventsPage;
            /// An organization's members (Admin Console → Members).
            fn organization_members(organization: OrganizationId) = "organizations/:organization/members" => crate::members::ui::OrgMembersPage;
            /// Admin Console → Billing → Subscription (seats).
            fn organization_subscription(organization: OrganizationId) = "organizations/:organization/billing/subscription" => crate::organizations::ui::OrganizationSubscriptionPage;
            /// Admin Console → Billing → Billing information.
            fn organization_billing_information(organization: OrganizationId) = "organizations/:organization/billing/information" => crate::organizations::ui::OrganizationBillingPage;
            /// Admin Console → Settings → Organization info.
            fn organization_settings(organization: OrganizationId) = "organizations/:organization/settings" => crate::organizations::ui::OrganizationInfoPage;
            /// Admin Console → Collections (names, item counts, members' access).
            fn organization_collections(organization: OrganizationId) = "organizations/:organization/collections" => crate::vault::ui::CollectionsPage;
            /// Admin Console → Settings → Policies.
            fn organization_policies(organization: OrganizationId) = "organizations/:organization/settings/policies" => crate::policies::ui::PoliciesPage;
        }
    };
}
pub(crate) use pages;

/// The table's consumer that writes the link functions and constants, and the list of paths
/// with their parameters the tests compare.
macro_rules! links {
    ($($(#[$doc:meta])* $kind:ident $name:ident $(($($param:ident: $ty:ty),*))? = $path:tt => $($view:ident)::+;)*) => {
        $(link!($(#[$doc])* $kind $name $(($($param: $ty),*))? = $path);)*

        /// Each page's path and the parameters its link function takes, in order.
        #[cfg(test)]
        const TABLE: &[(&str, &[&str])] = &[$(($path, &[$($(stringify!($param)),*)?])),*];
    };
}

macro_rules! link {
    ($(#[$doc:meta])* const $name:ident = $path:tt) => {
        $(#[$doc])*
        pub const $name: &str = concat!("/", $path);
    };
    ($(#[$doc:meta])* fn $name:ident($($param:ident: $ty:ty),*) = $path:tt) => {
        $(#[$doc])*
        pub fn $name($($param: $ty),*) -> String {
            fill($path, &[$((stringify!($param), $param.to_string())),*])
        }
    };
}

pages!(links);

/// A table path with its `:param` segments filled in (each value encoded).
fn fill(path: &str, params: &[(&str, String)]) -> String {
    let mut url = String::with_capacity(path.len() + 16);
    for segment in path.split('/') {
        url.push('/');
        match segment.strip_prefix(':') {
            Some(name) => {
                let value = params
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.as_str());
                url.push_str(&encode_query(value.unwrap_or_default()));
            }
            None => url.push_str(segment),
        }
    }
    url
}

/// A page with a query string (`q`, `sort`, `page`, `dialog`…); an empty query gives the bare
/// page.
fn with_query(page: String, query: &str) -> String {
    if query.is_empty() {
        page
    } else {
        format!("{page}?{query}")
    }
}

/// The account page's master-password section (where a recovered account chooses its own).
pub const ACCOUNT_PASSWORD: &str = "/account#password";

/// The second step, returning to `redirect_to` afterwards.
pub fn two_step_sign_in(redirect_to: Option<&str>) -> String {
    match redirect_to.filter(|t| is_local_path(t)) {
        Some(target) => format!("{TWO_STEP_SIGN_IN}?redirect_to={}", encode_query(target)),
        None => TWO_STEP_SIGN_IN.to_owned(),
    }
}

pub fn register_sent(email: &str) -> String {
    format!("{REGISTER_SENT}?email={}", encode_query(email))
}

/// After a registration with mail off: sign in with the new account (the page says so),
/// then go on to `redirect_to`.
pub fn sign_in_after_registering(redirect_to: Option<&str>) -> String {
    match redirect_to.filter(|t| is_local_path(t)) {
        Some(target) => format!(
            "{SIGN_IN}?registered=1&redirect_to={}",
            encode_query(target)
        ),
        None => format!("{SIGN_IN}?registered=1"),
    }
}

/// Encodes a query value (`form_urlencoded`, as browsers do for forms).
pub fn encode_query(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A provider's Clients page with a query string.
pub fn provider_clients_with(provider: ProviderId, query: &str) -> String {
    with_query(provider_clients(provider), query)
}

/// A provider's members with a query string (`status`, `q`, `page`, `dialog`, `member`).
pub fn provider_members_with(provider: ProviderId, query: &str) -> String {
    with_query(provider_members(provider), query)
}

/// The vault with a query string (`filter`, `item`, `new`, `edit`).
pub fn vault_with(pairs: &[(&str, String)]) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    with_query(VAULT.to_owned(), &query)
}

/// One invoice's per-client report as CSV.
pub fn provider_invoice_csv(provider: ProviderId, invoice: i64) -> String {
    format!("{}/report.csv", provider_invoice(provider, invoice))
}

/// An organization's members with a query string.
pub fn organization_members_with(organization: OrganizationId, query: &str) -> String {
    with_query(organization_members(organization), query)
}

/// The provider a Provider Portal path belongs to, if any.
pub fn provider_of_path(path: &str) -> Option<ProviderId> {
    path.strip_prefix("/providers/")?
        .split('/')
        .next()?
        .parse()
        .ok()
}

/// The organization an Admin Console path belongs to, if any.
pub fn organization_of_path(path: &str) -> Option<OrganizationId> {
    path.strip_prefix("/organizations/")?
        .split('/')
        .next()?
        .parse()
        .ok()
}

/// The form target of the language menu before the browser bundle has loaded.
pub const LANGUAGE: &str = "/language";

/// Liveness and database status, for operators and load balancers.
pub const HEALTHZ: &str = "/healthz";

/// EFF's long word list, which fingerprint phrases are made of: fetched by the browser the
/// first time a page shows a phrase (`accounts::browser`). The list never changes; a new list
/// would get a new address.
pub const WORD_LIST: &str = "/words/eff-large-wordlist.txt";

/// Where the password-strength module (zxcvbn built to wasm, `app/strength`) is served: not
/// under the bundle's `/pkg`, whose files cargo-leptos renames to their hash; the module's keep
/// their names and are revalidated instead. On disk it is a folder beside the site root.
pub const STRENGTH_DIR: &str = "/strength";

/// The module's script, which the browser imports when a page first estimates a password.
pub const STRENGTH_MODULE: &str = "/strength/portal_strength.js";

/// Which product a path belongs to: the product switcher marks it as current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Product {
    PasswordManager,
    AdminConsole,
    ProviderPortal,
}

impl Product {
    pub fn of_path(path: &str) -> Self {
        if path.starts_with("/providers") {
            Self::ProviderPortal
        } else if path.starts_with("/organizations") {
            Self::AdminConsole
        } else {
            Self::PasswordManager
        }
    }
}

/// Longest return path kept; the site's own addresses are far shorter.
const MAX_RETURN_PATH: usize = 2048;

/// The one decision on where a redirect may go (`redirect_to`, `return_to`, the language
/// switch): only a path on this site. Browsers resolve a `Location` with the WHATWG URL
/// parser, which drops tabs and newlines, reads `\` as `/` and so turns `/\t/evil.example`
/// or `/\\evil.example` into `//evil.example`, another host. So: one leading `/`, not two,
/// and no control character, whitespace or backslash anywhere (a newline would also break
/// the `Location` header). Everything else is a path a browser keeps on this origin.
pub fn is_local_path(target: &str) -> bool {
    let mut chars = target.chars();
    chars.next() == Some('/')
        && chars.next() != Some('/')
        && target.len() <= MAX_RETURN_PATH
        && !target
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

/// `target` when it is a path on this site (see [`is_local_path`]), else `fallback`.
pub fn local_or(target: Option<String>, fallback: &str) -> String {
    target
        .filter(|t| is_local_path(t))
        .unwrap_or_else(|| fallback.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_link_function_takes_its_paths_parameters() {
        for (path, params) in TABLE {
            let segments: Vec<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix(':'))
                .collect();
            assert_eq!(&segments, params, "{path}");
        }
        assert_eq!(HOME, "/");
        assert_eq!(
            provider_invoice(ProviderId(3), 12),
            "/providers/3/billing/invoices/12"
        );
        assert_eq!(invitation("a b"), "/invitations/a+b");
        assert_eq!(
            organization_members_with(OrganizationId(5), "q=x"),
            "/organizations/5/members?q=x"
        );
    }

    #[test]
    fn products_follow_the_path() {
        assert_eq!(Product::of_path("/"), Product::PasswordManager);
        assert_eq!(
            Product::of_path("/providers/3/clients"),
            Product::ProviderPortal
        );
        assert_eq!(
            Product::of_path("/organizations/9/members"),
            Product::AdminConsole
        );
    }

    #[test]
    fn ids_are_read_back_from_paths() {
        let provider = ProviderId(3);
        let organization = OrganizationId(9);
        assert_eq!(
            provider_of_path(&provider_clients(provider)),
            Some(provider)
        );
        assert_eq!(
            organization_of_path(&organization_console(organization)),
            Some(organization)
        );
        assert_eq!(organization_of_path("/organizations/x/members"), None);
        assert_eq!(provider_of_path("/"), None);
    }

    /// Accepted and refused targets, by table. What is accepted is also resolved the way a
    /// browser resolves a `Location` (the WHATWG parser of the `url` crate) against the site's
    /// origin, and must stay on it.
    #[test]
    fn only_local_paths_are_return_targets() {
        let accepted = [
            "/",
            "/providers/1/clients?page=2",
            "/providers/1/clients?q=a%20b&sort=name#top",
            "/invitations/abc?x=%2F%2Fevil.example",
            "/%2F%2Fevil.example",
            "/%5Cevil.example",
            "/./evil.example",
            "/a/../../evil.example",
            "/@evil.example",
            "/:evil.example",
            "/é",
        ];
        let refused = [
            "",
            "evil.example",
            "//evil.example/",
            "///evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "\t//evil.example",
            " /evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{7f}/evil.example",
            "/\u{85}/evil.example",
            "/\u{a0}/evil.example",
            "/\u{2028}/evil.example",
            "/\u{3000}/evil.example",
            "/providers\r\nSet-Cookie: a=b",
        ];
        let origin = url::Url::parse("https://portal.example").expect("an origin");
        for target in accepted {
            assert!(is_local_path(target), "{target:?} should be accepted");
            let resolved = origin.join(target).expect("a path resolves");
            assert_eq!(
                resolved.origin(),
                origin.origin(),
                "{target:?} left the site"
            );
        }
        for target in refused {
            assert!(!is_local_path(target), "{target:?} should be refused");
        }
        assert!(!is_local_path(&format!("/{}", "a".repeat(MAX_RETURN_PATH))));
        assert_eq!(local_or(Some("/\t/evil.example".into()), HOME), HOME);
        assert_eq!(local_or(Some("/account".into()), HOME), "/account");
        assert_eq!(local_or(None, HOME), HOME);
    }
}

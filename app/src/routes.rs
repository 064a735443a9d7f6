//! Every place in the product has a URL; paths are built here, never by string formatting in
//! components, so a renamed route is a compile-time change in one file.

use crate::ids::{OrganizationId, ProviderId};

/// The Password Manager's start page.
pub const HOME: &str = "/";

/// Create an account.
pub const REGISTER: &str = "/register";

/// Sign in; `?redirect_to=/path` returns there afterwards.
pub const SIGN_IN: &str = "/sign-in";

/// The second step of a sign-in with two-step login.
pub const TWO_STEP_SIGN_IN: &str = "/sign-in/two-step";

/// The second step, returning to `redirect_to` afterwards.
pub fn two_step_sign_in(redirect_to: Option<&str>) -> String {
    match redirect_to.filter(|t| is_local_path(t)) {
        Some(target) => format!("{TWO_STEP_SIGN_IN}?redirect_to={}", encode_query(target)),
        None => TWO_STEP_SIGN_IN.to_owned(),
    }
}

/// After a registration with mail on: "check your inbox", naming the address.
pub const REGISTER_SENT: &str = "/register/sent";

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

/// The page a verification link opens (it asks to confirm, then posts the token).
pub fn verify_email(token: &str) -> String {
    format!("/verify-email/{}", encode_query(token))
}

/// Encodes a query value (`form_urlencoded`, as browsers do for forms).
pub fn encode_query(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The signed-in user's account: profile, password, two-step login, sessions.
pub const ACCOUNT: &str = "/account";

/// Turning two-step login on.
pub const ACCOUNT_TWO_STEP: &str = "/account/two-step";

/// Setting up a provider (Password Manager).
pub const NEW_PROVIDER: &str = "/providers/new";

/// Creating an organization of one's own (Password Manager).
pub const NEW_ORGANIZATION: &str = "/organizations/new";

/// A provider's Clients page with a query string (`q`, `sort`, `page`, `dialog`…); an empty
/// query gives the bare page.
pub fn provider_clients_with(provider: ProviderId, query: &str) -> String {
    if query.is_empty() {
        provider_clients(provider)
    } else {
        format!("{}?{query}", provider_clients(provider))
    }
}

/// A provider's Clients page, where the Provider Portal opens.
pub fn provider_clients(provider: ProviderId) -> String {
    format!("/providers/{provider}/clients")
}

/// A provider's members (Manage → Members), with an optional query string (`status`, `q`,
/// `page`, `dialog`, `member`).
pub fn provider_members_with(provider: ProviderId, query: &str) -> String {
    if query.is_empty() {
        format!("/providers/{provider}/manage/members")
    } else {
        format!("/providers/{provider}/manage/members?{query}")
    }
}

/// A provider's members page.
pub fn provider_members(provider: ProviderId) -> String {
    provider_members_with(provider, "")
}

/// A provider's event log (Manage → Event logs); the CSV export is at `…/export.csv`.
pub fn provider_events(provider: ProviderId) -> String {
    format!("/providers/{provider}/manage/events")
}

/// An organization's event log (Admin Console → Reporting → Event logs).
pub fn organization_events(organization: OrganizationId) -> String {
    format!("/organizations/{organization}/events")
}

/// A provider's Settings page.
pub fn provider_settings(provider: ProviderId) -> String {
    format!("/providers/{provider}/settings")
}

/// Billing → Subscription.
pub fn provider_subscription(provider: ProviderId) -> String {
    format!("/providers/{provider}/billing/subscription")
}

/// Billing → Billing history.
pub fn provider_billing_history(provider: ProviderId) -> String {
    format!("/providers/{provider}/billing/history")
}

/// One invoice (printable).
pub fn provider_invoice(provider: ProviderId, invoice: i64) -> String {
    format!("/providers/{provider}/billing/invoices/{invoice}")
}

/// One invoice's per-client report as CSV.
pub fn provider_invoice_csv(provider: ProviderId, invoice: i64) -> String {
    format!("{}/report.csv", provider_invoice(provider, invoice))
}

/// Billing → Billing information.
pub fn provider_billing_information(provider: ProviderId) -> String {
    format!("/providers/{provider}/billing/information")
}

/// The page an invitation link opens.
pub fn invitation(token: &str) -> String {
    format!("/invitations/{}", encode_query(token))
}

/// The Password Manager's organizations, providers and pending invitations.
pub const MEMBERSHIPS: &str = "/memberships";

/// An organization's Admin Console.
pub fn organization_console(organization: OrganizationId) -> String {
    format!("/organizations/{organization}")
}

/// An organization's members (Admin Console → Members), with an optional query string.
pub fn organization_members_with(organization: OrganizationId, query: &str) -> String {
    if query.is_empty() {
        format!("/organizations/{organization}/members")
    } else {
        format!("/organizations/{organization}/members?{query}")
    }
}

pub fn organization_members(organization: OrganizationId) -> String {
    organization_members_with(organization, "")
}

/// Admin Console → Billing → Subscription (seats).
pub fn organization_subscription(organization: OrganizationId) -> String {
    format!("/organizations/{organization}/billing/subscription")
}

/// Admin Console → Billing → Billing information.
pub fn organization_billing_information(organization: OrganizationId) -> String {
    format!("/organizations/{organization}/billing/information")
}

/// Admin Console → Settings → Organization info.
pub fn organization_settings(organization: OrganizationId) -> String {
    format!("/organizations/{organization}/settings")
}

/// Admin Console → Settings → Policies.
pub fn organization_policies(organization: OrganizationId) -> String {
    format!("/organizations/{organization}/settings/policies")
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

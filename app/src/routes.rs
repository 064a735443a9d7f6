//! Every place in the product has a URL; paths are built here, never by string formatting in
//! components, so a renamed route is a compile-time change in one file.

/// The Password Manager's start page.
pub const HOME: &str = "/";

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

/// A `return_to` target is accepted only when it stays on this site: a path, not `//host`.
pub fn is_local_path(target: &str) -> bool {
    target.starts_with('/') && !target.starts_with("//") && !target.contains('\\')
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
    fn only_local_paths_are_return_targets() {
        assert!(is_local_path("/providers/1/clients?page=2"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path(""));
    }
}

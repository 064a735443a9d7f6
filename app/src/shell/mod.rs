//! The application shell: document, router, top bar, side navigation, error boundary. The
//! widgets pages build with are in `crate::widgets`.

mod home;
mod language_menu;
mod not_found;
mod product_switcher;
mod side_nav;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};

use crate::error::{AppError, ErrorText};
use crate::i18n::*;

pub use language_menu::native_name;
pub use not_found::NotFound;

/// The page's Content-Security-Policy: only this site's scripts, styles and wasm, plus the one
/// inline hydration script Leptos writes, which carries this response's nonce.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    let nonce = leptos::nonce::use_nonce();
    let response = use_context::<leptos_axum::ResponseOptions>();
    if let (Some(nonce), Some(response)) = (nonce, response)
        && let Ok(value) = http::HeaderValue::from_str(&content_security_policy(&nonce.to_string()))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The HTML document the server streams; the body is hydrated by the `frontend` crate.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Keeps the chosen language for a year, for the whole site (not only the current path).
fn language_cookie_options() -> leptos_i18n::context::CookieOptions<Locale> {
    leptos_i18n::context::CookieOptions::<Locale>::default()
        .path("/")
        .max_age(365_i64 * 24 * 60 * 60 * 1000)
        .same_site(leptos_use::SameSite::Lax)
}

/// Every page as a lazy route: its code is a chunk of the browser bundle of its own, fetched
/// when the page is first shown (`cargo leptos build --split`), so a page's first load carries
/// the shell and that page, not the whole product. On the server the page renders as before,
/// and the answer names the page's chunks in `<link rel="preload">`, so the browser fetches
/// them beside the main module instead of after it. Without `--split` (the Rust tests, clippy)
/// the same code builds into one module.
///
/// Written out rather than with `#[lazy_route]`: its chunk loader panics when a chunk cannot be
/// fetched, and a panic in wasm stops the whole page. Here the loader is `fallible`, and a page
/// whose chunk did not arrive shows [`PageUnavailable`] instead.
///
/// One module per page, named after its entry in the table: the chunk is named after it, so two
/// pages never share one. `preload` fetches the chunk while the route's data loads (and, on
/// the landing page, before hydration, which needs the page's code at hand).
macro_rules! lazy_pages {
    ($($(#[$doc:meta])* $kind:ident $name:ident $(($($param:ident: $ty:ty),*))? = $path:tt => $($view:ident)::+;)*) => {
        $(
            #[allow(non_snake_case)]
            pub(crate) mod $name {
                use leptos::prelude::*;
                use leptos::wasm_split::SplitLoaderError;

                pub(crate) struct Page;

                #[leptos::wasm_split::wasm_split($name, wasm_split_path = leptos::wasm_split, fallible, preload(load))]
                fn render() -> Result<AnyView, SplitLoaderError> {
                    Ok($($view)::+().into_any())
                }

                impl leptos_router::LazyRoute for Page {
                    fn data() -> Self {
                        Page
                    }

                    async fn view(_this: Self) -> AnyView {
                        #[cfg(feature = "ssr")]
                        crate::shell::preload_page_chunks(stringify!($name));
                        render().await.unwrap_or_else(|_| crate::shell::PageUnavailable().into_any())
                    }

                    async fn preload() {
                        // A failure shows in `view`, which tries once more.
                        let _ = load().await;
                    }
                }
            }
        )*
    };
}

/// Names a page's chunks in the answer's `<head>` as preloads, so the browser fetches them beside
/// the main module (hydration needs them) instead of discovering them after it.
///
/// Leptos has this built in (`prefetch_lazy_fn_on_server`), but it reads the build's chunk
/// manifest after the render, outside the request's reactive owner, from whatever owner the
/// worker thread last had: once the render has awaited, the request can be resumed on another
/// thread, and the links are missing. CI caught it (the Clients page arrived with the main
/// module alone preloaded). Here the page adds them while it renders, inside its own owner.
/// Without a split build (the Rust tests) there is no manifest, and nothing is added.
#[cfg(feature = "ssr")]
pub(crate) fn preload_page_chunks(page: &str) {
    use leptos_meta::Link;
    let Some(manifest) = use_context::<leptos::WasmSplitManifest>() else {
        return;
    };
    let Some(manifest) = manifest.0.try_read_value() else {
        return;
    };
    let (pkg, chunks, loader) = &*manifest;
    let Some(chunks) = chunks.get(page) else {
        return;
    };
    // `crossorigin` ("anonymous") makes the preload match the loader's `fetch`, which is what
    // lets the browser reuse it instead of downloading the chunk twice.
    for chunk in chunks {
        let _ = view! {
            <Link
                rel="preload"
                href=format!("{pkg}/{chunk}.wasm")
                as_="fetch"
                type_="application/wasm"
                crossorigin="anonymous"
            />
        }
        .to_html();
    }
    let _ = view! { <Link rel="modulepreload" href=format!("{pkg}/{loader}") crossorigin="anonymous" /> }
        .to_html();
}

/// The page table's lazy routes (see [`lazy_pages`]).
mod pages {
    crate::routes::pages!(lazy_pages);
}

/// The consumer of the page table (`routes::pages!`) that builds the router: one lazy `Route`
/// per page, each rendered whole before its answer starts.
macro_rules! router {
    ($($(#[$doc:meta])* $kind:ident $name:ident $(($($param:ident: $ty:ty),*))? = $path:tt => $($view:ident)::+;)*) => {
        view! {
            <Routes fallback=not_found::NotFound>
                $(<Route path=path!($path) view={Lazy::<pages::$name::Page>::new()} ssr=SsrMode::Async />)*
            </Routes>
        }
    };
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider
            cookie_name=crate::LANGUAGE_COOKIE
            cookie_options=language_cookie_options()
        >
            <DocumentTitle />
            <Router>
                <Layout />
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn DocumentTitle() -> impl IntoView {
    let i18n = use_i18n();
    // leptos_axum reads the title after rendering, and on rare timings after the request's
    // reactive owner is gone: reading the locale then panics. The memo is read fallibly,
    // falling back to the text of the language the page was rendered in.
    let title = Memo::new(move |_| t_string!(i18n, app_name).to_string());
    let rendered = title.get_untracked();
    view! { <Title text=move || title.try_get().unwrap_or_else(|| rendered.clone()) /> }
}

/// Sets `data-hydrated` on `<html>` once the browser bundle has taken over the whole page,
/// the landing page's chunk included (the `frontend` crate calls it), so tests (and styles
/// that only make sense without JavaScript) can tell the two phases apart.
pub fn mark_hydrated() {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

#[component]
fn Layout() -> impl IntoView {
    let i18n = use_i18n();
    crate::accounts::ui::provide_viewer();
    view! {
        <crate::accounts::ui::IdleLock />
        <a class="skip-link" href="#main">
            {t!(i18n, skip_to_content)}
        </a>
        <header class="topbar">
            <a class="brand" href=crate::routes::HOME>
                <span class="brand-mark" aria-hidden="true">"PP"</span>
                <span class="brand-name">{t!(i18n, app_name)}</span>
            </a>
            <div class="topbar-actions">
                <product_switcher::ProductSwitcher />
                <language_menu::LanguageMenu />
                <div class="account-slot">
                    <crate::accounts::ui::AccountMenu />
                </div>
            </div>
        </header>
        <div class="frame">
            <side_nav::SideNav />
            <main id="main" class="content" tabindex="-1">
                <crate::accounts::ui::PasswordChangeNotice />
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorPanel errors /> }
                }>
                    // Every page renders whole before its answer starts (async): the HTML holds
                    // the finished top bar and every Suspense's content, so the page works before
                    // and without the bundle, and a refused page can still answer with its real
                    // status (403, 404) and a signed-out visitor be redirected to sign in.
                    // Out-of-order streaming puts late parts in place with a script, which a
                    // browser without JavaScript never runs (seen: an empty account slot); in-order
                    // streaming sends the status before the page's data is known.
                    {crate::routes::pages!(router)}
                </ErrorBoundary>
            </main>
        </div>
    }
}

/// On the server, gives the page's answer the status of the error it shows (a refused page
/// answers 403, not 200). Pages render completely before the answer starts (`SsrMode::Async`),
/// so the status can still change here. In the browser this does nothing.
pub fn answer_with_status(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(error.http_status()),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

/// What a page shows when something inside it failed: translated, never a raw message.
#[component]
fn ErrorPanel(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let i18n = use_i18n();
    let first = move || {
        errors.with(|errors| {
            errors
                .iter()
                .next()
                .and_then(|(_, e)| e.downcast_ref::<AppError>().cloned())
                .unwrap_or(AppError::Internal)
        })
    };
    answer_with_status(&first());
    view! {
        <section class="panel error-panel" role="alert">
            <h1>{t!(i18n, errors.title)}</h1>
            <p>{move || view! { <ErrorText error=first() /> }}</p>
            <p class="muted">{t!(i18n, errors.retry)}</p>
        </section>
    }
}

/// What a page shows in the browser when its chunk of the bundle could not be fetched (the
/// network dropped, or the server was updated meanwhile): the reason in the reader's language
/// and a way to load the page again, instead of a page that stopped working.
#[component]
fn PageUnavailable() -> impl IntoView {
    let i18n = use_i18n();
    let reload = move |_| {
        let _ = window().location().reload();
    };
    view! {
        <section class="panel error-panel" role="alert">
            <h1>{t!(i18n, errors.title)}</h1>
            <p>{t!(i18n, errors.page_unavailable)}</p>
            <button type="button" class="button primary" on:click=reload>
                {t!(i18n, errors.try_again)}
            </button>
        </section>
    }
}

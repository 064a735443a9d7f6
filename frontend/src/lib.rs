//! The browser entry point: hydrates the server-rendered page. Nothing else lives here.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Until the page is hydrated, a click belongs to the browser, as on a page without
    // JavaScript: a link loads its page. Otherwise the router, which listens from the start,
    // would navigate while the landing page still waits for its chunk, and hydrating that page
    // afterwards fails. Stopped at the window's capture phase, the click reaches no handler;
    // its default action (following the link, submitting the form) still happens.
    let window = web_sys::window().expect("a browser window");
    let guard = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        event.stop_immediate_propagation();
    });
    let _ = window.add_event_listener_with_callback_and_bool(
        "click",
        guard.as_ref().unchecked_ref(),
        true,
    );
    // Asynchronous: every page is a lazy route, and the landing page's chunk of the bundle must
    // have arrived before its HTML can be taken over. Only then is the page marked hydrated
    // (after one more tick, so the effects created while hydrating have run).
    wasm_bindgen_futures::spawn_local(async move {
        let body = leptos::prelude::document()
            .body()
            .expect("the page has a body");
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        leptos::task::tick().await;
        let _ = window.remove_event_listener_with_callback_and_bool(
            "click",
            guard.as_ref().unchecked_ref(),
            true,
        );
        app::shell::mark_hydrated();
    });
}

//! A moment shown in the viewer's own time zone and language. The server does not know the
//! zone, so the first HTML says UTC; once the browser bundle runs, the browser's `Intl`
//! formats it locally (and hydration still matches, since the switch happens after it).

use leptos::prelude::*;

#[component]
pub fn LocalTime(
    /// RFC 3339.
    #[prop(into)]
    at: String,
) -> impl IntoView {
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let utc = at
        .get(..16)
        .map(|s| format!("{} UTC", s.replace('T', " ")))
        .unwrap_or_else(|| at.clone());
    let datetime = at.clone();
    let text = move || {
        if mounted.get() {
            local(&at).unwrap_or_else(|| utc.clone())
        } else {
            utc.clone()
        }
    };
    view! { <time datetime=datetime>{text}</time> }
}

#[cfg(feature = "hydrate")]
fn local(at: &str) -> Option<String> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(at));
    if date.get_time().is_nan() {
        return None;
    }
    let language = document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .unwrap_or_else(|| "en".into());
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    Some(
        date.to_locale_string(&language, &options)
            .as_string()
            .unwrap_or_default(),
    )
}

#[cfg(not(feature = "hydrate"))]
fn local(_at: &str) -> Option<String> {
    None
}

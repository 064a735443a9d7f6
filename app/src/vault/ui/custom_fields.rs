//! An item's custom fields in the edit dialog: text, hidden (masked as typed) and boolean rows
//! that can be added, retyped and removed. Linked fields (which follow another field, made by
//! Bitwarden's clients) are kept as they are. Each row is named by a number of its own, so the
//! form reads the rows in their order however they were added or removed.

use leptos::prelude::*;

use crate::crypto::vault::Field;
use crate::i18n::*;
use crate::vault::types::{FIELD_BOOLEAN, FIELD_HIDDEN, FIELD_LINKED, FIELD_TEXT};
use crate::widgets::Fields;

/// The most custom fields an item takes from the form.
pub const MAX_CUSTOM_FIELDS: usize = 50;

#[derive(Clone)]
struct Row {
    id: u32,
    kind: RwSignal<u8>,
    name: String,
    value: String,
}

/// The fields as the form left them (rows without a name or value are dropped), followed by
/// the item's linked fields, which the form does not show.
pub fn read(form: &Fields, kept: &[Field<String>]) -> Vec<Field<String>> {
    let text = |name: String| Some(name).filter(|v| !v.trim().is_empty());
    let mut fields: Vec<Field<String>> = form
        .all("cf-row")
        .iter()
        .filter_map(|row| {
            let kind = form
                .get(&format!("cf-type-{row}"))
                .parse::<u8>()
                .ok()
                .filter(|k| [FIELD_TEXT, FIELD_HIDDEN, FIELD_BOOLEAN].contains(k))?;
            let name = text(form.get(&format!("cf-name-{row}")));
            let value = if kind == FIELD_BOOLEAN {
                let checked = form.get(&format!("cf-value-{row}")) == "true";
                Some(checked.to_string())
            } else {
                text(form.get(&format!("cf-value-{row}")))
            };
            (name.is_some() || (kind != FIELD_BOOLEAN && value.is_some())).then_some(Field {
                name,
                value,
                kind,
                linked_id: None,
            })
        })
        .take(MAX_CUSTOM_FIELDS)
        .collect();
    fields.extend(kept.iter().filter(|f| f.kind == FIELD_LINKED).cloned());
    fields
}

#[component]
pub fn CustomFields(fields: Vec<Field<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let next = StoredValue::new(0u32);
    let make = move |kind: u8, name: String, value: String| {
        let id = next.get_value();
        next.set_value(id + 1);
        Row {
            id,
            kind: RwSignal::new(kind),
            name,
            value,
        }
    };
    let rows = RwSignal::new(
        fields
            .into_iter()
            .filter(|f| f.kind != FIELD_LINKED)
            .map(|f| {
                make(
                    f.kind,
                    f.name.unwrap_or_default(),
                    f.value.unwrap_or_default(),
                )
            })
            .collect::<Vec<Row>>(),
    );
    let add = move |_| {
        let row = make(FIELD_TEXT, String::new(), String::new());
        rows.update(|rows| rows.push(row));
    };
    view! {
        <fieldset class="field custom-fields">
            <legend>{t!(i18n, vault.custom_fields)}</legend>
            <For
                each=move || rows.get()
                key=|row| row.id
                children=move |row| {
                    let Row { id, kind, name, value } = row;
                    let checked = value == "true";
                    view! {
                        <div class="custom-field" data-testid="custom-field">
                            <input type="hidden" name="cf-row" value=id.to_string() />
                            <label class="visually-hidden" for=format!("cf-type-{id}")>{t!(i18n, vault.custom_field_type)}</label>
                            <select id=format!("cf-type-{id}") name=format!("cf-type-{id}") on:change=move |ev| {
                                kind.set(event_target_value(&ev).parse().unwrap_or(FIELD_TEXT));
                            }>
                                <option value=FIELD_TEXT.to_string() selected=kind.get_untracked() == FIELD_TEXT>{t!(i18n, vault.custom_text)}</option>
                                <option value=FIELD_HIDDEN.to_string() selected=kind.get_untracked() == FIELD_HIDDEN>{t!(i18n, vault.custom_hidden)}</option>
                                <option value=FIELD_BOOLEAN.to_string() selected=kind.get_untracked() == FIELD_BOOLEAN>{t!(i18n, vault.custom_boolean)}</option>
                            </select>
                            <label class="visually-hidden" for=format!("cf-name-{id}")>{t!(i18n, vault.custom_field_name)}</label>
                            <input id=format!("cf-name-{id}") name=format!("cf-name-{id}") type="text" autocomplete="off" value=name placeholder=move || t_string!(i18n, vault.custom_field_name).to_string() />
                            <label class="visually-hidden" for=format!("cf-value-{id}")>{t!(i18n, vault.custom_field_value)}</label>
                            {move || if kind.get() == FIELD_BOOLEAN {
                                view! { <input id=format!("cf-value-{id}") name=format!("cf-value-{id}") type="checkbox" value="true" checked=checked /> }.into_any()
                            } else {
                                let input_type = if kind.get() == FIELD_HIDDEN { "password" } else { "text" };
                                let value = value.clone();
                                view! { <input id=format!("cf-value-{id}") name=format!("cf-value-{id}") type=input_type autocomplete="off" value=value placeholder=move || t_string!(i18n, vault.custom_field_value).to_string() /> }.into_any()
                            }}
                            <button type="button" class="button small" on:click=move |_| rows.update(|rows| rows.retain(|r| r.id != id))>
                                {t!(i18n, vault.custom_remove)}
                            </button>
                        </div>
                    }
                }
            />
            <button type="button" class="button small" on:click=add>{t!(i18n, vault.custom_add)}</button>
        </fieldset>
    }
}

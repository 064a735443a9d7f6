//! An item's custom fields in the edit dialog: text, hidden (masked as typed), boolean and, for
//! the types that have fields to follow (login, card, identity), linked rows, which can be
//! added, retyped and removed. Each row is named by a number of its own, so the form reads the
//! rows in their order however they were added or removed.

use leptos::prelude::*;

use crate::crypto::vault::{Field, ItemType};
use crate::i18n::*;
use crate::vault::types::{
    FIELD_BOOLEAN, FIELD_HIDDEN, FIELD_LINKED, FIELD_TEXT, linkable, linked_name,
};
use crate::widgets::Fields;

/// The most custom fields an item takes from the form.
pub const MAX_CUSTOM_FIELDS: usize = 50;

#[derive(Clone)]
struct Row {
    id: u32,
    kind: RwSignal<u8>,
    name: String,
    value: String,
    /// The field a linked row follows (Bitwarden's number).
    linked: Option<u32>,
}

/// The fields as the form left them: rows without a name or value are dropped, and a linked
/// row must follow a field `kind` has (a kept field of another number stays as it was).
pub fn read(form: &Fields, kind: ItemType) -> Vec<Field<String>> {
    let text = |name: String| Some(name).filter(|v| !v.trim().is_empty());
    form.all("cf-row")
        .iter()
        .filter_map(|row| {
            let field_kind = form
                .get(&format!("cf-type-{row}"))
                .parse::<u8>()
                .ok()
                .filter(|k| [FIELD_TEXT, FIELD_HIDDEN, FIELD_BOOLEAN, FIELD_LINKED].contains(k))?;
            let name = text(form.get(&format!("cf-name-{row}")));
            if field_kind == FIELD_LINKED {
                let linked = form.get(&format!("cf-linked-{row}")).parse::<u32>().ok()?;
                let known = linkable(kind).contains(&linked)
                    || form.get(&format!("cf-kept-{row}")) == linked.to_string();
                return known.then_some(Field {
                    name,
                    value: None,
                    kind: FIELD_LINKED,
                    linked_id: Some(linked),
                });
            }
            let value = if field_kind == FIELD_BOOLEAN {
                let checked = form.get(&format!("cf-value-{row}")) == "true";
                Some(checked.to_string())
            } else {
                text(form.get(&format!("cf-value-{row}")))
            };
            (name.is_some() || (field_kind != FIELD_BOOLEAN && value.is_some())).then_some(Field {
                name,
                value,
                kind: field_kind,
                linked_id: None,
            })
        })
        .take(MAX_CUSTOM_FIELDS)
        .collect()
}

#[component]
pub fn CustomFields(fields: Vec<Field<String>>, kind: ItemType) -> impl IntoView {
    let i18n = use_i18n();
    let next = StoredValue::new(0u32);
    let make = move |field_kind: u8, name: String, value: String, linked: Option<u32>| {
        let id = next.get_value();
        next.set_value(id + 1);
        Row {
            id,
            kind: RwSignal::new(field_kind),
            name,
            value,
            linked,
        }
    };
    let rows = RwSignal::new(
        fields
            .into_iter()
            .map(|f| {
                make(
                    f.kind,
                    f.name.unwrap_or_default(),
                    f.value.unwrap_or_default(),
                    f.linked_id,
                )
            })
            .collect::<Vec<Row>>(),
    );
    let add = move |_| {
        let row = make(FIELD_TEXT, String::new(), String::new(), None);
        rows.update(|rows| rows.push(row));
    };
    let can_link = !linkable(kind).is_empty();
    view! {
        <fieldset class="field custom-fields">
            <legend>{t!(i18n, vault.custom_fields)}</legend>
            <For
                each=move || rows.get()
                key=|row| row.id
                children=move |row| {
                    let Row { id, kind: field_kind, name, value, linked } = row;
                    let checked = value == "true";
                    // A linked field made elsewhere may follow a field this editor does not
                    // offer: it is kept, under its own number.
                    let kept = linked.filter(|l| !linkable(kind).contains(l));
                    view! {
                        <div class="custom-field" data-testid="custom-field">
                            <input type="hidden" name="cf-row" value=id.to_string() />
                            {kept.map(|l| view! { <input type="hidden" name=format!("cf-kept-{id}") value=l.to_string() /> })}
                            <label class="visually-hidden" for=format!("cf-type-{id}")>{t!(i18n, vault.custom_field_type)}</label>
                            <select id=format!("cf-type-{id}") name=format!("cf-type-{id}") on:change=move |ev| {
                                field_kind.set(event_target_value(&ev).parse().unwrap_or(FIELD_TEXT));
                            }>
                                <option value=FIELD_TEXT.to_string() selected=field_kind.get_untracked() == FIELD_TEXT>{t!(i18n, vault.custom_text)}</option>
                                <option value=FIELD_HIDDEN.to_string() selected=field_kind.get_untracked() == FIELD_HIDDEN>{t!(i18n, vault.custom_hidden)}</option>
                                <option value=FIELD_BOOLEAN.to_string() selected=field_kind.get_untracked() == FIELD_BOOLEAN>{t!(i18n, vault.custom_boolean)}</option>
                                {(can_link || linked.is_some()).then(|| view! {
                                    <option value=FIELD_LINKED.to_string() selected=field_kind.get_untracked() == FIELD_LINKED>{t!(i18n, vault.custom_linked)}</option>
                                })}
                            </select>
                            <label class="visually-hidden" for=format!("cf-name-{id}")>{t!(i18n, vault.custom_field_name)}</label>
                            <input id=format!("cf-name-{id}") name=format!("cf-name-{id}") type="text" autocomplete="off" value=name placeholder=move || t_string!(i18n, vault.custom_field_name).to_string() />
                            {move || match field_kind.get() {
                                FIELD_BOOLEAN => view! {
                                    <label class="visually-hidden" for=format!("cf-value-{id}")>{t!(i18n, vault.custom_field_value)}</label>
                                    <input id=format!("cf-value-{id}") name=format!("cf-value-{id}") type="checkbox" value="true" checked=checked />
                                }.into_any(),
                                FIELD_LINKED => view! { <LinkedChoice id kind linked kept /> }.into_any(),
                                hidden_or_text => {
                                    let input_type = if hidden_or_text == FIELD_HIDDEN { "password" } else { "text" };
                                    let value = value.clone();
                                    view! {
                                        <label class="visually-hidden" for=format!("cf-value-{id}")>{t!(i18n, vault.custom_field_value)}</label>
                                        <input id=format!("cf-value-{id}") name=format!("cf-value-{id}") type=input_type autocomplete="off" value=value placeholder=move || t_string!(i18n, vault.custom_field_value).to_string() />
                                    }.into_any()
                                }
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

/// The field a linked row follows: the fields of the item's type, by name, and the one it
/// already followed if this editor does not offer it.
#[component]
fn LinkedChoice(id: u32, kind: ItemType, linked: Option<u32>, kept: Option<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let choices: Vec<u32> = kept
        .into_iter()
        .chain(linkable(kind).iter().copied())
        .collect();
    view! {
        <label class="visually-hidden" for=format!("cf-linked-{id}")>{t!(i18n, vault.custom_linked_to)}</label>
        <select id=format!("cf-linked-{id}") name=format!("cf-linked-{id}")>
            {choices.into_iter().map(|choice| view! {
                <option value=choice.to_string() selected=linked == Some(choice)>
                    {move || linked_name(i18n.get_locale(), choice).unwrap_or_else(|| t_string!(i18n, vault.linked_other).to_string())}
                </option>
            }).collect_view()}
        </select>
    }
}

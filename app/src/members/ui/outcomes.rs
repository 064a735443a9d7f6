//! What an invitation or a bulk action came to, shown in its dialog: the same for provider
//! and organization members.

use leptos::prelude::*;

use crate::error::ErrorText;
use crate::i18n::*;
use crate::members::types::{Invited, RowOutcome};
use crate::widgets::CloseButton;

/// Who was invited; each link no mail carried, to pass on.
#[component]
pub fn InviteResult(invited: Vec<Invited>) -> impl IntoView {
    let i18n = use_i18n();
    let count = invited.len();
    let with_links: Vec<Invited> = invited.into_iter().filter(|i| i.link.is_some()).collect();
    view! {
        <p class="alert alert-success" role="status">
            {t!(i18n, provider_members.invited_count, count = move || count)}
        </p>
        {(!with_links.is_empty()).then(|| view! {
            <p>{t!(i18n, provider_members.mail_off)}</p>
            <ul class="invite-links">
                {with_links
                    .into_iter()
                    .map(|invited| {
                        let link = invited.link.unwrap_or_default();
                        view! {
                            <li>
                                <span class="invite-email">{invited.email}</span>
                                <input type="text" readonly=true class="invite-link" value=link aria-label=move || t_string!(i18n, provider_members.link).to_string() />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        })}
        <div class="modal-actions">
            <CloseButton primary=true />
        </div>
    }
}

/// Per-row results of an action on a selection.
#[component]
pub fn Outcomes(outcomes: Vec<RowOutcome>) -> impl IntoView {
    let i18n = use_i18n();
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    let done = outcomes.len() - failed;
    view! {
        <p class=if failed == 0 { "alert alert-success" } else { "alert alert-error" } role="status">
            {t!(i18n, provider_members.outcome_summary, done = move || done, failed = move || failed)}
        </p>
        <ul class="outcomes">
            {outcomes
                .into_iter()
                .map(|RowOutcome { email, result, link, .. }| {
                    let ok = result.is_ok();
                    view! {
                        <li class:ok=ok class:failed=!ok>
                            <strong>{email}</strong>
                            ": "
                            {match result {
                                Ok(()) => t!(i18n, provider_members.row_done).into_any(),
                                Err(error) => view! { <ErrorText error /> }.into_any(),
                            }}
                            {link.map(|link| view! {
                                <input type="text" readonly=true class="invite-link" value=link aria-label=move || t_string!(i18n, provider_members.link).to_string() />
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <div class="modal-actions">
            <CloseButton primary=true />
        </div>
    }
}

//! The Admin Console's side navigation: the organization's name, who manages it (with a way
//! back to the provider), and the sections the viewer may open. The frame is fetched once per
//! organization: moving between sections keeps it.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::ids::OrganizationId;
use crate::organizations::api::get_console_frame;
use crate::organizations::types::{ConsoleFrame, ConsoleSection};
use crate::routes;

#[component]
pub fn ConsoleNav(organization: Memo<Option<OrganizationId>>) -> impl IntoView {
    let frame = Resource::new_blocking(
        move || organization.get(),
        |organization| async move {
            match organization {
                Some(organization) => get_console_frame(organization).await.ok(),
                None => None,
            }
        },
    );
    // Opening a client's console is recorded by a POST once the console is on screen in a
    // browser, never by the page's GET (see `record_console_visit`).
    #[cfg(feature = "hydrate")]
    Effect::new(move |previous: Option<Option<OrganizationId>>| {
        let current = organization.get();
        if let Some(id) = current.filter(|id| previous.flatten() != Some(*id)) {
            leptos::task::spawn_local(async move {
                let _ = crate::organizations::api::record_console_visit(id).await;
            });
        }
        current
    });
    view! {
        // In a Transition: the server waits for the frame, so the first HTML and the hydrated
        // page agree. Without the right to open the console there are no sections to show;
        // the page itself explains.
        <Transition fallback=|| ()>
            {move || frame.get().flatten().map(|frame| view! { <Sections frame /> })}
        </Transition>
    }
}

#[component]
fn Sections(frame: ConsoleFrame) -> impl IntoView {
    let i18n = use_i18n();
    let id = frame.id;
    let managed_by = frame.provider.clone().map(|provider| {
        let name = provider.name.clone();
        let link = frame
            .viewer_in_provider
            .then(|| routes::provider_clients(provider.id));
        view! {
            <p class="nav-context-note">
                {t!(i18n, organizations.managed_by)} " "
                {match link {
                    Some(href) => view! { <A href=href>{name}</A> }.into_any(),
                    None => view! { <strong>{name}</strong> }.into_any(),
                }}
            </p>
        }
    });
    let link = |section: ConsoleSection| match section {
        ConsoleSection::Members => routes::organization_members(id),
        ConsoleSection::Collections => routes::organization_collections(id),
        ConsoleSection::EventLogs => routes::organization_events(id),
        ConsoleSection::Subscription => routes::organization_subscription(id),
        ConsoleSection::BillingInformation => routes::organization_billing_information(id),
        ConsoleSection::OrganizationInfo => routes::organization_settings(id),
        ConsoleSection::Policies => routes::organization_policies(id),
    };
    // A bit per section, so the closures below are `Copy`.
    let open: u8 = ConsoleSection::ALL
        .into_iter()
        .filter(|s| frame.shows(*s))
        .fold(0, |bits, s| bits | 1 << s as u8);
    let item = move |section: ConsoleSection| {
        (open & 1 << section as u8 != 0).then(|| {
            // One string that follows the language, not a view type per section.
            let label = move || match section {
                ConsoleSection::Members => t_string!(i18n, provider_members.title).to_string(),
                ConsoleSection::Collections => t_string!(i18n, nav.collections).to_string(),
                ConsoleSection::EventLogs => t_string!(i18n, events.title).to_string(),
                ConsoleSection::Subscription => t_string!(i18n, billing.subscription).to_string(),
                ConsoleSection::BillingInformation => {
                    t_string!(i18n, billing.information).to_string()
                }
                ConsoleSection::OrganizationInfo => {
                    t_string!(i18n, nav.organization_info).to_string()
                }
                ConsoleSection::Policies => t_string!(i18n, nav.policies).to_string(),
            };
            view! { <li><A href=link(section) exact=true>{label}</A></li> }
        })
    };
    // A heading with its sections, when at least one of them is open to the viewer.
    let group = move |heading: AnyView, sections: &[ConsoleSection]| {
        let items: Vec<_> = sections.iter().filter_map(|&s| item(s)).collect();
        (!items.is_empty()).then(|| {
            view! {
                <li class="nav-group">
                    <span class="nav-heading">{heading}</span>
                    <ul>{items}</ul>
                </li>
            }
        })
    };
    view! {
        <li class="nav-context">
            <span class="nav-context-name">{frame.name}</span>
            {managed_by}
        </li>
        <li>
            <A href=routes::organization_console(id) exact=true>{t!(i18n, nav.overview)}</A>
        </li>
        {item(ConsoleSection::Members)}
        {item(ConsoleSection::Collections)}
        {group(t!(i18n, nav.reporting).into_any(), &[ConsoleSection::EventLogs])}
        {group(
            t!(i18n, billing.title).into_any(),
            &[ConsoleSection::Subscription, ConsoleSection::BillingInformation],
        )}
        {group(
            t!(i18n, nav.settings).into_any(),
            &[ConsoleSection::OrganizationInfo, ConsoleSection::Policies],
        )}
    }
}

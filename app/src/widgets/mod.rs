//! The widget kit every page builds with: form fields and alerts, the menu button, the modal
//! dialog, local times, this page's address. Widgets know nothing of the frame (router, top bar, side navigation),
//! which lives in `shell`, nor of any domain.

mod address;
mod browser_form;
mod form;
mod local_time;
mod menu;
mod modal;

pub use address::current_address;
pub use browser_form::{BrowserForm, Fields, NOWHERE};
pub use form::{FormAlert, TextField, problem_of, successes};
pub use local_time::LocalTime;
pub use menu::MenuButton;
pub use modal::{CloseButton, Modal};

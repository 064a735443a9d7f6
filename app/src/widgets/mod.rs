//! The widget kit every page builds with: form fields and alerts, the menu button, the modal
//! dialog, local times. Widgets know nothing of the frame (router, top bar, side navigation),
//! which lives in `shell`, nor of any domain.

mod form;
mod local_time;
mod menu;
mod modal;

pub use form::{FormAlert, TextField, problem_of, successes};
pub use local_time::LocalTime;
pub use menu::MenuButton;
pub use modal::{CloseButton, Modal};

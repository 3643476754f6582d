//! Reusable components.
pub mod form;
pub mod form_state;
pub mod layout;

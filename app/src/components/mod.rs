//! Reusable components.
pub mod layout;

//! One module per route.
pub mod alerts;
pub mod api_doc;
pub mod businesses;
pub mod cases;
pub mod file;
pub mod guide;
pub mod home;
pub mod lazy;
pub mod not_found;
pub mod receipt;
pub mod recover;
pub mod screen;
pub mod staff;
pub mod stats;
pub mod track;

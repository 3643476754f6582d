//! Thin server functions: parse into domain types, call a service, map the result.
pub mod filing;
pub mod guide;
pub mod publish;
pub mod staff;
pub mod stats;
pub mod track;

//! The staff console's pages, one module each. Their forms are plain HTML forms handled by the
//! server's routes (`server/src/staff.rs`), so they work without JavaScript.

pub mod audit;
pub mod business;
pub mod case;
pub mod intake;
pub mod login;
pub mod objections;
pub mod outbox;
pub mod queue;
pub mod register;

//! The portal's server: configuration, database adapters, the HTTP router, demonstration data.

pub mod alerts;
pub mod api;
pub mod backup;
pub mod cli;
pub mod config;
pub mod demo;
pub mod deploy;
pub mod feeds;
pub mod filing;
pub mod forms;
pub mod limits;
pub mod metrics_setup;
#[cfg(test)]
mod multipart_fuzz;
pub mod notify;
pub mod open_day;
pub mod replica;
pub mod secret;
pub mod serve;
pub mod staff;
pub mod store;
pub mod track;
pub mod web;

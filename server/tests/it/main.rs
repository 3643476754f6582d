//! The server's integration tests, one binary (linking the whole server once): storage against
//! a real SQLite file and a real PostgreSQL server, and the HTTP surface driven in-process.

#![allow(dead_code)]

#[macro_use]
mod common;

mod alerts;
mod api;
mod authz;
mod backup;
mod budgets;
mod clock;
mod crash;
mod deploy;
mod filing;
mod idempotency;
mod layers;
mod limits;
mod mail;
mod message_ids;
mod notify;
mod objections;
mod odr;
mod queue;
mod records;
mod recover;
mod screen;
mod second_factor;
mod staff;
mod staff_cases;
mod stats;
mod store;
mod track;
mod track_steps;
mod uploads;
mod verdict;
mod web;

//! Application services: the steps that combine the domain with the storage ports. Server
//! functions, the plain-form routes and the CLI call these; they hold no HTTP and no SQL, and they
//! return the view types of `crate::views`.

pub mod audit;
pub mod budget;
pub mod codes;
pub mod console;
pub mod disclosure;
pub mod evidence;
pub mod filing;
pub mod hashing;
pub mod notify;
pub mod objections;
pub mod odr;
pub mod publish;
pub mod queue;
pub mod rankings;
pub mod recover;
pub mod register;
pub mod screen;
pub mod second_factor;
pub mod staff;
pub mod state;
pub mod stats;
pub mod step;
pub mod subscriptions;
pub mod track;

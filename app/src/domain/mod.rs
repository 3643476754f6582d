//! The shared domain model of the portal: items, parties, the case workflow, the legal rule sets
//! and the working-day calendar. Pure Rust — no IO, no Leptos, no database — so the same code
//! validates input in the browser (WebAssembly) and on the server.
//!
//! Legal data (deadlines, grounds, holidays, divisions, categories) lives in JSON files under
//! `app/data/`, compiled into the server with `include_str!` and parsed once; the browser gets
//! them parsed, from the server ([`shipped`]).

/// Stable string codes for a fieldless enum (URLs, forms, database), with `ALL`.
macro_rules! codes {
    ($ty:ident { $($variant:ident => $code:literal),* $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];

            /// The stable code used in URLs, forms and the database.
            pub fn code(self) -> &'static str {
                match self { $($ty::$variant => $code),* }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($ty::$variant),)* _ => None }
            }
        }
    };
}

/// A list from a data file under `app/data/`, parsed once (each file is checked by a unit test):
/// the array `$key` of the file's object, all of it from `$all()` and one entry by its `code`
/// from `$get(code)`. In the browser, the same list from the data the server sent
/// (set by `shipped::install`).
macro_rules! data_list {
    ($list:ident: $ty:ty = $file:literal, $key:ident; $(#[$doc:meta])* fn $all:ident; fn $get:ident) => {
        /// In the browser, set by `shipped::install` before hydration.
        #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
        pub(crate) static $list: std::sync::OnceLock<Vec<$ty>> = std::sync::OnceLock::new();
        #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
        static $list: std::sync::LazyLock<Vec<$ty>> = std::sync::LazyLock::new(|| {
            #[derive(serde::Deserialize)]
            struct File {
                $key: Vec<$ty>,
            }
            let file: File = serde_json::from_str(include_str!(concat!("../../data/", $file)))
                .expect(concat!($file, " is valid (checked by a unit test)"));
            file.$key
        });

        $(#[$doc])*
        pub fn $all() -> &'static [$ty] {
            #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
            return &$list;
            #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
            return $list.get().expect("the data is installed before hydration");
        }

        pub fn $get(code: &str) -> Option<&'static $ty> {
            $all().iter().find(|e| e.code == code)
        }
    };
}

pub mod actions;
pub mod business;
pub mod calendar;
pub mod case;
pub mod category;
pub mod clock;
pub mod credit_code;
pub mod disclosure;
pub mod error;
pub mod evidence;
pub mod fields;
pub mod filing;
#[cfg(test)]
mod fuzz;
pub mod kind;
pub mod money;
pub mod notify;
pub mod odr;
pub mod party;
pub mod period;
pub mod queue;
pub mod recover;
#[cfg(feature = "ssr")]
pub mod redact;
pub mod region;
pub mod rules;
pub mod shipped;
pub mod staff;
pub mod stats;
pub mod subscription;
pub mod tracking;
pub mod workflow;

pub use error::{FieldError, Invalid};

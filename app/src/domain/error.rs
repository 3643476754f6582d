//! Validation errors: which field, and why, as data that the UI translates.

use serde::{Deserialize, Serialize};

/// Why a value was refused. The UI turns each variant into a sentence in zh-CN or English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Invalid {
    Required,
    TooShort {
        min: u32,
    },
    TooLong {
        max: u32,
    },
    /// Control characters (other than line breaks in multi-line text) are not accepted.
    ControlChars,
    Phone,
    CreditCodeFormat,
    CreditCodeCheck,
    Amount,
    AmountTooLarge {
        max_yuan: i64,
    },
    Date,
    FutureDate,
    /// Not one of the allowed choices.
    Choice,
    /// Not a whole number.
    Number,
    /// A number below the least the rules allow (e.g. consumers in a collective complaint).
    TooFew {
        min: u32,
    },
    TooMany {
        max: u32,
    },
    OrderNo,
    FileTooLarge {
        max_mb: u32,
    },
    /// Not a JPEG, PNG, WebP, HEIC or PDF file (judged by its content).
    FileType,
    /// Not an e-mail address.
    Email,
    /// A photo whose location data cannot be removed as it streams in (a HEIC file that lists
    /// its metadata after the image data holding it).
    PhotoLayout,
    TooManyFiles {
        max: u32,
    },
    /// A file the form names is no longer waiting to be attached (removed after a day, or
    /// attached elsewhere): it must be uploaded again.
    FileGone,
    /// This form was filed before (more than a day ago, or with other content): it is filed
    /// anew only when sent again, under a new key.
    FormResent,
    /// More filings from this connection or for this phone number within the hour than a
    /// consumer ever makes.
    TooManyFilings {
        per_hour: u32,
    },
    /// Neither the 6 digits of an authenticator app nor a recovery code.
    OneTimeCode,
    /// More evidence uploads from this connection within the hour than a consumer ever makes.
    TooManyUploads {
        per_hour: u32,
    },
    /// So many files wait to be filed that uploads are paused for a while (the disk is kept safe).
    UploadsPaused,
    /// A fixed line: it cannot take the text message a code comes by.
    NotMobile,
    /// Not the 6 digits of a code sent by text message.
    PhoneCode,
    /// A wrong code, or one that holds no more (expired, used, or 5 wrong tries): one answer.
    PhoneCodeWrong,
    /// More codes asked for this number, from this connection, or from everyone, than a
    /// consumer ever asks for: wait a while, or call 12315.
    TooManyCodes,
    /// Too many subscriptions asked for from one address, or confirmations sent to one e-mail.
    TooManyAlerts,
}

/// One refused field: `field` is the stable form-field name (also the UI key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub invalid: Invalid,
}

impl FieldError {
    pub fn new(field: &str, invalid: Invalid) -> Self {
        Self { field: field.to_owned(), invalid }
    }
}

/// Collects the errors of a whole form so that every bad field is reported at once.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the error of `result` under `field` and returns the value if there is one.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(FieldError::new(field, e));
                None
            }
        }
    }

    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            // Every checked value was present, so `build` can unwrap them.
            build().ok_or_else(Vec::new)
        } else {
            Err(self.errors)
        }
    }
}

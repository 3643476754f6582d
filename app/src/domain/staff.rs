//! Staff accounts and sign-in: user names, the password policy, roles with their bureau, and
//! the session time limits. Hashing and storage are the server's; the rules are here.

use super::error::{Checker, FieldError, Invalid};
use super::region::{self, CENTRE};
use super::workflow::{Actor, Role};
use serde::{Deserialize, Serialize};

/// A staff member's sign-in name: 3–32 lower-case letters, digits, `.`, `_` or `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err(Invalid::Required);
        }
        if s.len() < 3 {
            return Err(Invalid::TooShort { min: 3 });
        }
        if s.len() > 32 {
            return Err(Invalid::TooLong { max: 32 });
        }
        if !s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')) {
            return Err(Invalid::Choice);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The shortest password a staff account may have.
pub const MIN_PASSWORD: u32 = 12;

/// A new password: at least 12 characters, at most 128, no control characters.
pub fn check_new_password(p: &str) -> Result<(), Invalid> {
    let n = p.chars().count() as u32;
    if n == 0 {
        return Err(Invalid::Required);
    }
    if n < MIN_PASSWORD {
        return Err(Invalid::TooShort { min: MIN_PASSWORD });
    }
    if n > 128 {
        return Err(Invalid::TooLong { max: 128 });
    }
    if p.chars().any(char::is_control) {
        return Err(Invalid::ControlChars);
    }
    Ok(())
}

/// The staff roles (a subset of the workflow's roles).
pub const STAFF_ROLES: &[Role] = &[Role::IntakeOperator, Role::Handler, Role::Supervisor, Role::Admin];

/// A staff member as the server knows them once signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub username: Username,
    pub role: Role,
    /// The bureau (division code) a handler works for; the centre for intake operators.
    pub bureau: Option<String>,
    /// For an account of the role `business`: the credit code of the registered business.
    #[serde(default)]
    pub business: Option<String>,
}

impl Staff {
    /// Checks that the role is a staff role and the bureau fits it: a handler belongs to a known
    /// bureau, an intake operator to the centre, supervisors and admins to none.
    pub fn new(username: Username, role: Role, bureau: Option<String>) -> Result<Self, Invalid> {
        let bureau = match role {
            Role::Handler => match bureau {
                Some(b) if b != CENTRE && region::bureau(&b).is_some() => Some(b),
                _ => return Err(Invalid::Choice),
            },
            Role::IntakeOperator => Some(CENTRE.to_owned()),
            Role::Supervisor | Role::Admin => None,
            Role::Consumer | Role::System | Role::Business => return Err(Invalid::Choice),
        };
        Ok(Self { username, role, bureau, business: None })
    }

    /// An account for the registered business of this credit code (created by its bureau).
    pub fn for_business(username: Username, credit_code: &super::credit_code::CreditCode) -> Self {
        Self { username, role: Role::Business, bureau: None, business: Some(credit_code.as_str().to_owned()) }
    }

    /// Whether this is an account of a business (its console, never the staff's).
    pub fn is_business(&self) -> bool {
        self.role == Role::Business
    }

    pub fn actor(&self) -> Actor {
        Actor { role: self.role, bureau: self.bureau.clone(), business: self.business.clone() }
    }
}

/// The sign-in form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
}

impl LoginForm {
    pub fn parse(&self) -> Result<(Username, &str), Vec<FieldError>> {
        let mut c = Checker::new();
        let user = c.check("username", Username::parse(&self.username));
        let password = c.check("password", if self.password.is_empty() { Err(Invalid::Required) } else { Ok(()) });
        c.finish(|| {
            password?;
            Some((user?, self.password.as_str()))
        })
    }
}

/// The second step of a sign-in: the 6 digits an authenticator app shows (TOTP, RFC 6238), or
/// one of the account's recovery codes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    pub code: String,
}

/// A second factor as typed, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactor {
    /// Six digits.
    Totp(String),
    /// A recovery code, upper case without separators.
    Recovery(String),
}

/// The letters of recovery codes: no 0/O, 1/I/L, so that they are read back without doubt.
pub const RECOVERY_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// A recovery code has 16 of them (about 79 bits), shown in groups of four.
pub const RECOVERY_LEN: usize = 16;
/// How many recovery codes an account gets at enrolment.
pub const RECOVERY_CODES: usize = 10;

impl CodeForm {
    pub fn parse(&self) -> Result<SecondFactor, Vec<FieldError>> {
        let plain: String =
            self.code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_uppercase();
        let found = if plain.is_empty() {
            Err(Invalid::Required)
        } else if plain.len() == 6 && plain.bytes().all(|b| b.is_ascii_digit()) {
            Ok(SecondFactor::Totp(plain))
        } else if plain.len() == RECOVERY_LEN && plain.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
            Ok(SecondFactor::Recovery(plain))
        } else {
            Err(Invalid::OneTimeCode)
        };
        found.map_err(|e| vec![FieldError::new("code", e)])
    }
}

/// A recovery code as shown: groups of four joined by `-`.
pub fn recovery_display(code: &str) -> String {
    code.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// The roles that must use a second factor unless configured otherwise.
pub const SECOND_FACTOR_ROLES: &[Role] = &[Role::Supervisor, Role::Admin, Role::Business];

/// Which staff roles must sign in with a second factor: `PORTAL_TOTP_ROLES`, role codes
/// separated by commas (empty: none); by default supervisors, admins and businesses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondFactorRoles(pub Vec<Role>);

impl Default for SecondFactorRoles {
    fn default() -> Self {
        Self(SECOND_FACTOR_ROLES.to_vec())
    }
}

impl SecondFactorRoles {
    /// Reads the setting; an unknown or non-staff role is an error (said at start).
    pub fn parse(setting: &str) -> Result<Self, String> {
        let roles = setting
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(|r| {
                Role::from_code(r)
                    .filter(|role| STAFF_ROLES.contains(role) || *role == Role::Business)
                    .ok_or_else(|| format!("PORTAL_TOTP_ROLES: not a staff role: {r}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self(roles))
    }

    pub fn requires(&self, role: Role) -> bool {
        self.0.contains(&role)
    }
}

/// How long a sign-in whose password was right waits for its second factor (enrolment included:
/// time to install an app and scan the code).
pub const CHALLENGE_MS: i64 = 10 * 60 * 1000;

/// TOTP time steps of 30 s; a code of the step before or after the server's is accepted too
/// (clock drift), and each step's code only once.
pub const TOTP_STEP_S: i64 = 30;

/// A session ends after this long without a request…
pub const SESSION_IDLE_MS: i64 = 30 * 60 * 1000;
/// …and in any case this long after sign-in.
pub const SESSION_ABSOLUTE_MS: i64 = 10 * 60 * 60 * 1000;

/// Whether a session signed in at `created` and last used at `last_seen` is still valid at `now`.
pub fn session_valid(created: i64, last_seen: i64, now: i64) -> bool {
    now - last_seen < SESSION_IDLE_MS && now - created < SESSION_ABSOLUTE_MS
}

/// Wrong passwords for one account from one client address: 5 within an hour, then a wait of a
/// minute that doubles with each further wrong password, up to 15 minutes. Keyed by the address
/// as well, so that a stranger's guesses never keep the account's owner out.
pub const LOGIN_POLICY: super::tracking::Policy = super::tracking::Policy {
    free: 5,
    window_ms: 60 * 60 * 1000,
    first_wait_ms: 60 * 1000,
    max_wait_ms: 15 * 60 * 1000,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_factor_is_six_digits_or_a_recovery_code() {
        let read = |code: &str| CodeForm { code: code.into() }.parse();
        assert_eq!(read(" 123 456 "), Ok(SecondFactor::Totp("123456".into())));
        assert_eq!(read("abcd-efgh-jkmn-pqrs"), Ok(SecondFactor::Recovery("ABCDEFGHJKMNPQRS".into())));
        let err = |code: &str| read(code).unwrap_err()[0].invalid.clone();
        assert_eq!(err(""), Invalid::Required);
        assert_eq!(err("12345"), Invalid::OneTimeCode);
        assert_eq!(err("1234567"), Invalid::OneTimeCode);
        assert_eq!(err("12345a"), Invalid::OneTimeCode);
        // 0, 1, I, L and O are not in the alphabet.
        assert_eq!(err("ABCD-EFGH-JKMN-PQR0"), Invalid::OneTimeCode);
        assert_eq!(recovery_display("ABCDEFGHJKMNPQRS"), "ABCD-EFGH-JKMN-PQRS");
    }

    #[test]
    fn roles_that_need_a_second_factor_are_read_from_the_setting() {
        assert!(SecondFactorRoles::default().requires(Role::Admin));
        assert!(SecondFactorRoles::default().requires(Role::Supervisor));
        assert!(!SecondFactorRoles::default().requires(Role::Handler));
        // A business's account sees its consumers' phone numbers: it gives a second factor too.
        assert!(SecondFactorRoles::default().requires(Role::Business));
        let all = SecondFactorRoles::parse("handler, intake_operator,supervisor,admin").unwrap();
        assert!(all.requires(Role::Handler) && all.requires(Role::IntakeOperator));
        assert_eq!(SecondFactorRoles::parse("").unwrap(), SecondFactorRoles(vec![]));
        assert!(SecondFactorRoles::parse("consumer").is_err());
        assert!(SecondFactorRoles::parse("boss").is_err());
    }

    #[test]
    fn user_names_are_short_plain_and_lower_case() {
        assert_eq!(Username::parse(" Li.Ming ").unwrap().as_str(), "li.ming");
        assert_eq!(Username::parse(""), Err(Invalid::Required));
        assert_eq!(Username::parse("ab"), Err(Invalid::TooShort { min: 3 }));
        assert_eq!(Username::parse(&"a".repeat(33)), Err(Invalid::TooLong { max: 32 }));
        for bad in ["li ming", "李明", "a/b", "x'--"] {
            assert_eq!(Username::parse(bad), Err(Invalid::Choice), "{bad}");
        }
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert_eq!(check_new_password(""), Err(Invalid::Required));
        assert_eq!(check_new_password("short-pass1"), Err(Invalid::TooShort { min: 12 }));
        assert_eq!(check_new_password("long enough pass"), Ok(()));
        assert_eq!(check_new_password("青海省消费者权益保护服务中心"), Ok(()));
        assert_eq!(check_new_password("with\u{0}nul-inside"), Err(Invalid::ControlChars));
    }

    #[test]
    fn roles_come_with_the_right_bureau() {
        let u = || Username::parse("staff").unwrap();
        assert_eq!(Staff::new(u(), Role::Handler, Some("630102".into())).unwrap().bureau.as_deref(), Some("630102"));
        assert_eq!(Staff::new(u(), Role::Handler, None), Err(Invalid::Choice));
        assert_eq!(Staff::new(u(), Role::Handler, Some(CENTRE.into())), Err(Invalid::Choice));
        assert_eq!(Staff::new(u(), Role::Handler, Some("999999".into())), Err(Invalid::Choice));
        assert_eq!(Staff::new(u(), Role::IntakeOperator, None).unwrap().bureau.as_deref(), Some(CENTRE));
        assert_eq!(Staff::new(u(), Role::Supervisor, Some("630102".into())).unwrap().bureau, None);
        assert_eq!(Staff::new(u(), Role::Consumer, None), Err(Invalid::Choice));
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        let h = 60 * 60 * 1000;
        assert!(session_valid(0, 0, SESSION_IDLE_MS - 1));
        assert!(!session_valid(0, 0, SESSION_IDLE_MS));
        assert!(session_valid(0, 9 * h, 9 * h + 1));
        assert!(!session_valid(0, 10 * h - 1, 10 * h));
    }

    #[test]
    fn the_sign_in_form_reports_both_fields() {
        let errs = LoginForm::default().parse().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["username", "password"]);
        let f = LoginForm { username: "Admin".into(), password: "x".into() };
        assert_eq!(f.parse().unwrap().0.as_str(), "admin");
    }
}

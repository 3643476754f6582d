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
            Role::Consumer | Role::System => return Err(Invalid::Choice),
        };
        Ok(Self { username, role, bureau })
    }

    pub fn actor(&self) -> Actor {
        Actor { role: self.role, bureau: self.bureau.clone() }
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

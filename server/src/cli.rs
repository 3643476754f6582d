//! `server case <case no> <step> [field=value …]`: takes a workflow step on a case from the
//! command line, as a supervisor (recorded as actor `cli`), through the same form, service and
//! state machine as the staff console. For operators with access to the server, e.g. to script
//! a correction or a demonstration.
//!
//! The fields are those of the console's form (`domain::actions::ActionForm`): `accept`;
//! `refuse ground=N`; `transfer to_bureau=630102`;
//! `transfer_out province=330000` (another province, where the business is); `start_mediation method=online|phone|on_site
//! [at=YYYY-MM-DDTHH:MM place=…]`; `pause_clock`; `resume_clock`; `record_settlement
//! recovered=<yuan> agreement=…`; `terminate_mediation ground=N`; `close`; `answer text=…`;
//! `start_verification`; `decide_report decision=yes|no`; `answer_contest decision=yes|no
//! text=…`; `follow_up text=…`. Any step takes `note=…` (staff only).
//!
//! `server staff set <user name> <role> [bureau=<division code>] [--password-stdin]`: creates a
//! staff account or resets it (role, bureau, password) and ends its sessions. The password is read
//! from the first line of standard input with `--password-stdin` (never from the command line,
//! where other users of the machine and the shell's history could see it); without it a random
//! one is made and printed once. Roles: `intake_operator`, `handler` (needs `bureau=`),
//! `supervisor`, `admin`.
//!
//! `server staff disable <user name>`: the account can no longer sign in; its sessions end now.
//!
//! `server staff totp-reset <user name>`: removes the account's second factor (TOTP secret and
//! recovery codes), e.g. after a lost phone, and ends its sessions; it enrols again at its next
//! sign-in. Audited. `staff set` (a new password) keeps the second factor.
//!
//! `server screen follow <case no>`: the case the open-day screen's walk-through panel follows.

use app::domain::actions::ActionForm;
use app::domain::case::CaseNo;
use app::domain::workflow::{Actor, Role};

fn explain(errs: &[app::domain::FieldError]) -> String {
    errs.iter()
        .map(|e| format!("{}: {}", e.field, app::i18n::invalid(app::i18n::Lang::En, &e.invalid)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Runs `case <no> <step> [field=value …]` against `store`; returns the new state's code.
pub async fn run(store: &dyn app::ports::CaseStore, args: &[String]) -> Result<String, String> {
    let [no, step, rest @ ..] = args else {
        return Err("usage: server case <case no> <step> [field=value …]".into());
    };
    let no = CaseNo::parse(no).map_err(|_| format!("not a case number: {no}"))?;
    let case = store.get(&no).await.map_err(|e| e.to_string())?.ok_or_else(|| format!("no case {no}"))?;
    let mut pairs: Vec<(String, String)> =
        rest.iter().filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    pairs.push(("action".into(), step.clone()));
    pairs.push(("version".into(), case.version.to_string()));
    let encoded = serde_urlencoded::to_string(&pairs).map_err(|e| e.to_string())?;
    let form: ActionForm = serde_urlencoded::from_str(&encoded).map_err(|e| e.to_string())?;
    let (action, staff_note, version) = form.parse().map_err(|e| explain(&e))?;
    let actor = Actor { role: Role::Supervisor, bureau: None, business: None };
    let now = time::OffsetDateTime::now_utc();
    let after = app::service::step::act(store, &no, version, &actor, Some("cli".into()), &action, staff_note, now)
        .await
        .map_err(|e| e.to_string())?;
    Ok(after.state.code().to_owned())
}

const STAFF_USAGE: &str = "usage: server staff set <user name> <role> [bureau=<code>] [--password-stdin] | \
     server staff disable <user name> | server staff totp-reset <user name> | \
     server staff email <user name> <address, or - for none>";

/// Runs `staff set …`, `staff disable …` or `staff totp-reset …` (see the top of this file), reading a password from
/// `stdin` when asked to; returns what to print.
pub async fn staff(
    store: std::sync::Arc<dyn app::ports::Store>,
    args: &[String],
    stdin: &mut dyn std::io::BufRead,
) -> Result<String, String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let services = shell_services(store);
    let now = time::OffsetDateTime::now_utc();
    let (user, role, rest) = match &args[..] {
        ["disable", user] => {
            return match app::service::staff::disable_account(&services, user, now).await {
                Ok(()) => Ok(format!("account {user} disabled; its sessions have ended")),
                Err(app::error::AppError::NotFound) => Err(format!("no account {user}")),
                Err(e) => Err(e.to_string()),
            };
        }
        ["email", user, address] => return staff_email(&services, user, address, now).await,
        ["totp-reset", user] => {
            return match app::service::second_factor::reset(&services, user, now).await {
                Ok(()) => Ok(format!(
                    "second factor of {user} removed; its sessions have ended; it enrols again at its next sign-in"
                )),
                Err(app::error::AppError::NotFound) => Err(format!("no account {user}")),
                Err(e) => Err(e.to_string()),
            };
        }
        ["set", user, role, rest @ ..] => (*user, *role, rest),
        _ => return Err(STAFF_USAGE.into()),
    };
    let mut bureau = None;
    let mut from_stdin = false;
    for arg in rest {
        match arg.split_once('=') {
            Some(("bureau", b)) => bureau = Some(b.to_owned()),
            None if *arg == "--password-stdin" => from_stdin = true,
            Some(("password", _)) => {
                return Err("a password is never taken from the command line: use --password-stdin".into())
            }
            _ => return Err(STAFF_USAGE.into()),
        }
    }
    let password = if from_stdin {
        let mut line = String::new();
        stdin.read_line(&mut line).map_err(|e| format!("standard input: {e}"))?;
        Some(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        None
    };
    match app::service::staff::set_account(&services, user, role, bureau, password, now).await {
        Ok(_) if from_stdin => Ok(format!("account {user} set")),
        Ok(p) => Ok(format!("account {user} set; its password (shown once): {p}")),
        Err(app::error::AppError::Invalid(errs)) => Err(explain(&errs)),
        Err(e) => Err(e.to_string()),
    }
}

/// `server staff email <user> <address | ->`: where the account's morning digest goes (audited).
async fn staff_email(
    services: &app::Services,
    user: &str,
    address: &str,
    now: time::OffsetDateTime,
) -> Result<String, String> {
    let email = match address {
        "-" => None,
        a => match app::domain::party::Email::parse_optional(a) {
            Ok(Some(e)) => Some(e),
            _ => return Err(format!("not an e-mail address: {a}")),
        },
    };
    let set = services.cases.set_staff_email(user, email.as_ref().map(|e| e.as_str()));
    if !set.await.map_err(|e| e.to_string())? {
        return Err(format!("no account {user}"));
    }
    let entry = app::ports::AuditEntry {
        at: app::domain::clock::unix_ms(now),
        actor: None,
        action: if email.is_some() { "staff_email_set" } else { "staff_email_removed" }.into(),
        subject: Some(user.to_owned()),
        client: Some("shell".into()),
    };
    services.staff.audit(&entry).await.map_err(|e| e.to_string())?;
    Ok(match email {
        Some(e) => format!("account {user}: the morning digest goes to {}", e.masked()),
        None => format!("account {user}: no morning digest"),
    })
}

/// A blob store for commands that never touch evidence.
struct NoBlobs;

#[async_trait::async_trait]
impl app::ports::BlobStore for NoBlobs {
    async fn put(&self, _: &str, _: Vec<u8>) -> Result<(), app::error::AppError> {
        Err(app::error::AppError::Internal)
    }
    async fn writer(&self, _: &str) -> Result<Box<dyn app::ports::BlobWriter>, app::error::AppError> {
        Err(app::error::AppError::Internal)
    }
    async fn get(&self, _: &str) -> Result<Option<Vec<u8>>, app::error::AppError> {
        Ok(None)
    }
    async fn delete(&self, _: &str) -> Result<(), app::error::AppError> {
        Ok(())
    }
}

/// `server screen follow <case no>`: the case the open-day screen's walk-through panel follows
/// (a demonstration case that staff then move through the workflow in front of the visitors).
pub async fn screen(store: &dyn app::ports::CaseStore, args: &[String]) -> Result<String, String> {
    let [cmd, no] = args else {
        return Err("usage: server screen follow <case no>".into());
    };
    if cmd != "follow" {
        return Err("usage: server screen follow <case no>".into());
    }
    let no = CaseNo::parse(no).map_err(|_| format!("not a case number: {no}"))?;
    store.get(&no).await.map_err(|e| e.to_string())?.ok_or_else(|| format!("no case {no}"))?;
    store.meta_set(app::service::screen::WALKTHROUGH_KEY, no.as_str()).await.map_err(|e| e.to_string())?;
    Ok(format!("the open-day screen now follows {no}"))
}

/// The services the shell's commands need: the store alone (no evidence storage, no secret).
fn shell_services(store: std::sync::Arc<dyn app::ports::Store>) -> app::Services {
    app::Services {
        cases: store.clone(),
        staff: store,
        blobs: std::sync::Arc::new(NoBlobs),
        secret: app::service::codes::Secret([0; 32]),
        figures: Default::default(),
        hashing: Default::default(),
        budgets: Default::default(),
        second_factor: Default::default(),
        channels: Default::default(),
        replica: None,
    }
}

const BUSINESS_USAGE: &str = "usage: server business import FILE.csv bureau=<division code> | \
     server business account <user name> <credit code>";

/// `server business import FILE.csv bureau=<code>`: a bureau's list of businesses (a header line
/// naming the columns of [`app::domain::business::BusinessForm`]: credit_code, name, address,
/// county, and optionally email, the three pledges and `odr` = `join`), checked line by line and
/// written in one transaction, or refused with every bad line's number and fields.
/// `server business account <user> <credit code>`: creates or resets the account of a
/// registered business; its password is shown once.
pub async fn business(store: std::sync::Arc<dyn app::ports::Store>, args: &[String]) -> Result<String, String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let services = shell_services(store);
    let now = time::OffsetDateTime::now_utc();
    match &args[..] {
        ["import", file, bureau] => {
            let Some(("bureau", bureau)) = bureau.split_once('=') else { return Err(BUSINESS_USAGE.into()) };
            let lines = read_business_csv(file)?;
            match app::service::register::import(&services, &lines, bureau, now).await {
                Ok((n, joined)) => Ok(format!("{n} businesses written, {joined} entered in the ODR lane")),
                Err(Ok(bad)) => Err(bad
                    .iter()
                    .map(|(line, errs)| format!("line {line}: {}", explain(errs)))
                    .collect::<Vec<_>>()
                    .join("\n")),
                Err(Err(e)) => Err(e.to_string()),
            }
        }
        ["account", user, code] => match app::service::register::set_account(&services, None, user, code, now).await {
            Ok(p) => Ok(format!("account {user} set for {code}; its password (shown once): {p}")),
            Err(app::error::AppError::Invalid(errs)) => Err(explain(&errs)),
            Err(e) => Err(e.to_string()),
        },
        _ => Err(BUSINESS_USAGE.into()),
    }
}

/// The lines of a bureau's CSV file (UTF-8, a header line), numbered as a spreadsheet shows
/// them (the header is line 1). The `csv` crate reads quoted fields and line breaks in them.
pub fn read_business_csv(file: &str) -> Result<Vec<(usize, app::domain::business::BusinessForm)>, String> {
    let mut reader = csv::Reader::from_path(file).map_err(|e| format!("{file}: {e}"))?;
    let mut lines = Vec::new();
    for record in reader.deserialize::<app::domain::business::BusinessForm>() {
        let form = record.map_err(|e| format!("{file}: {e}"))?;
        lines.push((lines.len() + 2, form));
    }
    Ok(lines)
}

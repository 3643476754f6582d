//! `server case <case no> <step> [key=value …]`: takes a workflow step on a case from the
//! command line, as a supervisor (recorded as actor `cli`), through the same service and
//! state machine as the staff console. For operators with access to the server, e.g. to
//! script a correction or a demonstration.
//!
//! Steps and their data: `accept`; `refuse ground=N`; `transfer to=630102`;
//! `start_mediation method=online|phone|on_site [at=YYYY-MM-DDTHH:MM place=…]`; `pause_clock`;
//! `resume_clock`; `record_settlement recovered_fen=N agreement=…`; `terminate_mediation ground=N`;
//! `close`; `answer text=…`; `start_verification`; `decide_report opened=yes|no`;
//! `answer_contest reopen=yes|no text=…`. Any step takes `note=…` (staff only).
//!
//! `server staff set <user name> <role> [bureau=<division code>] [password=…]`: creates a staff
//! account or resets it (role, bureau, password; a random password is made and printed if none
//! is given). Roles: `intake_operator`, `handler` (needs `bureau=`), `supervisor`, `admin`.

use app::domain::case::CaseNo;
use app::domain::fields::Note;
use app::domain::money::Fen;
use app::domain::workflow::{Action, Actor, MediationMethod, OnSite, Role};
use std::collections::HashMap;

fn note(v: Option<&String>, what: &str) -> Result<Note, String> {
    Note::parse(v.map(String::as_str).unwrap_or_default()).map_err(|e| format!("{what}: {e:?}"))
}

fn number<T: std::str::FromStr>(v: Option<&String>, what: &str) -> Result<T, String> {
    v.and_then(|s| s.parse().ok()).ok_or_else(|| format!("{what}=… is required and must be a number"))
}

fn yes(v: Option<&String>, what: &str) -> Result<bool, String> {
    match v.map(String::as_str) {
        Some("yes") => Ok(true),
        Some("no") => Ok(false),
        _ => Err(format!("{what}=yes or {what}=no")),
    }
}

/// The action named by `step` with its `key=value` data.
pub fn parse_action(step: &str, data: &HashMap<String, String>) -> Result<Action, String> {
    let g = |k: &str| data.get(k);
    Ok(match step {
        "accept" => Action::Accept,
        "refuse" => Action::Refuse { ground: number(g("ground"), "ground")? },
        "transfer" => Action::Transfer { to_bureau: g("to").cloned().ok_or("to=<bureau code> is required")? },
        "start_mediation" => {
            let method =
                g("method").and_then(|m| MediationMethod::from_code(m)).ok_or("method=online|phone|on_site")?;
            let on_site = match (g("at"), g("place")) {
                (Some(at), Some(_)) => Some(OnSite { at: at.clone(), place: note(g("place"), "place")? }),
                _ => None,
            };
            Action::StartMediation { method, on_site }
        }
        "pause_clock" => Action::PauseClock,
        "resume_clock" => Action::ResumeClock,
        "record_settlement" => Action::RecordSettlement {
            recovered: Fen(number(g("recovered_fen"), "recovered_fen")?),
            agreement: note(g("agreement"), "agreement")?,
        },
        "terminate_mediation" => Action::TerminateMediation { ground: number(g("ground"), "ground")? },
        "close" => Action::Close,
        "answer" => Action::Answer { answer: note(g("text"), "text")? },
        "start_verification" => Action::StartVerification,
        "decide_report" => Action::DecideReport { opened: yes(g("opened"), "opened")? },
        "answer_contest" => {
            Action::AnswerContest { reopen: yes(g("reopen"), "reopen")?, answer: note(g("text"), "text")? }
        }
        other => return Err(format!("unknown step {other}")),
    })
}

/// Runs `case <no> <step> [key=value …]` against `store`; returns the new state's code.
pub async fn run(store: &dyn app::ports::CaseStore, args: &[String]) -> Result<String, String> {
    let [no, step, rest @ ..] = args else {
        return Err("usage: server case <case no> <step> [key=value …]".into());
    };
    let no = CaseNo::parse(no).map_err(|_| format!("not a case number: {no}"))?;
    let data: HashMap<String, String> =
        rest.iter().filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    let action = parse_action(step, &data)?;
    let case = store.get(&no).await.map_err(|e| e.to_string())?.ok_or_else(|| format!("no case {no}"))?;
    let actor = Actor { role: Role::Supervisor, bureau: None };
    let staff_note = data.get("note").cloned();
    let now = time::OffsetDateTime::now_utc();
    let after = app::service::act(store, &no, case.version, &actor, Some("cli".into()), &action, staff_note, now)
        .await
        .map_err(|e| e.to_string())?;
    Ok(after.state.code().to_owned())
}

/// Runs `staff set <user name> <role> [bureau=…] [password=…]`; returns what to print.
pub async fn staff(store: std::sync::Arc<dyn app::ports::Store>, args: &[String]) -> Result<String, String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let ["set", user, role, rest @ ..] = &args[..] else {
        return Err("usage: server staff set <user name> <role> [bureau=<code>] [password=…]".into());
    };
    let data: HashMap<&str, &str> = rest.iter().filter_map(|kv| kv.split_once('=')).collect();
    let services = app::Services {
        cases: store.clone(),
        staff: store,
        // Accounts need no evidence storage and no secret.
        blobs: std::sync::Arc::new(NoBlobs),
        secret: app::service::Secret([0; 32]),
    };
    let now = time::OffsetDateTime::now_utc();
    let bureau = data.get("bureau").map(|s| s.to_string());
    let password = data.get("password").map(|s| s.to_string());
    let given = password.is_some();
    match app::service::staff::set_account(&services, user, role, bureau, password, now).await {
        Ok(_) if given => Ok(format!("account {user} set")),
        Ok(p) => Ok(format!("account {user} set; its password (shown once): {p}")),
        Err(app::error::AppError::Invalid(errs)) => Err(errs
            .iter()
            .map(|e| format!("{}: {}", e.field, app::i18n::invalid(app::i18n::Lang::En, &e.invalid)))
            .collect::<Vec<_>>()
            .join("; ")),
        Err(e) => Err(e.to_string()),
    }
}

/// A blob store for commands that never touch evidence.
struct NoBlobs;

#[async_trait::async_trait]
impl app::ports::BlobStore for NoBlobs {
    async fn put(&self, _: &str, _: Vec<u8>) -> Result<(), app::error::AppError> {
        Err(app::error::AppError::Internal)
    }
    async fn get(&self, _: &str) -> Result<Option<Vec<u8>>, app::error::AppError> {
        Ok(None)
    }
    async fn delete(&self, _: &str) -> Result<(), app::error::AppError> {
        Ok(())
    }
}

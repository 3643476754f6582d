//! Evidence chosen on the filing form, with JavaScript: each file sent as soon as it is chosen,
//! one at a time, through `/upload.js` (`XMLHttpRequest`, which reports the bytes sent; `fetch`
//! does not), shown with a progress bar, the time left and a cancel button. Photos are scaled
//! down in the browser unless "send the original" is ticked; a cut connection is tried again by
//! the script. Without JavaScript the form's own upload button posts the files as before.

use crate::components::form::Errors;
use crate::domain::filing::FilingForm;
#[cfg(feature = "hydrate")]
use crate::domain::Invalid;
use crate::i18n::{fill, Lang};
use leptos::prelude::*;

/// A file chosen, as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Upload {
    id: u32,
    name: String,
    sent: f64,
    total: f64,
    /// Seconds left at the rate so far, once there is a rate.
    left: Option<u64>,
    state: UploadState,
}

// Set by the uploads, which run in the browser only.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UploadState {
    Sending,
    Done,
    Cancelled,
    Failed,
}

/// The list of files being sent and the choice to send photos as they are.
pub(super) fn upload_list(lang: Lang, uploads: RwSignal<Vec<Upload>>, original: RwSignal<bool>) -> impl IntoView {
    // Shown once the page runs its code: without JavaScript the files go as they are.
    let js = RwSignal::new(false);
    Effect::new(move || js.set(true));
    let m = lang.msgs();
    let row = move |u: Upload| {
        let kb = |b: f64| ((b / 1024.0).ceil() as u64).to_string();
        let status = match u.state {
            UploadState::Sending => {
                let sent = fill(m.file_photo_progress, &[("sent", &kb(u.sent)), ("total", &kb(u.total))]);
                match u.left {
                    Some(s) => format!("{sent} · {}", fill(m.file_photo_time_left, &[("seconds", &s)])),
                    None => sent,
                }
            }
            UploadState::Done => m.file_photo_done.to_owned(),
            UploadState::Cancelled => m.file_photo_cancelled.to_owned(),
            UploadState::Failed => m.file_photo_failed.to_owned(),
        };
        let id = u.id;
        view! {
            <li data-testid="upload">
                <span class="upload-name">{u.name.clone()}</span>
                <progress max=u.total.max(1.0) value=u.sent aria-label=u.name.clone()></progress>
                <span class="hint" data-testid="upload-status">{status}</span>
                {(u.state == UploadState::Sending).then(|| view! {
                    <button type="button" class="link" on:click=move |_| cancel(id)>
                        {m.file_photo_cancel} <span class="visually-hidden">{u.name.clone()}</span>
                    </button>
                })}
            </li>
        }
    };
    view! {
        <Show when=move || js.get()>
            <div class="field choice">
                <input type="checkbox" id="send-original" aria-describedby="send-original-hint"
                    prop:checked=move || original.get()
                    on:change=move |ev| original.set(event_target_checked(&ev)) />
                <label for="send-original">{m.file_photo_original}</label>
                <p class="hint" id="send-original-hint">{m.file_photo_original_hint}</p>
            </div>
        </Show>
        <ul class="uploads" aria-live="polite">
            {move || uploads.get().into_iter().map(row).collect_view()}
        </ul>
    }
}

/// Cancels the upload `id` if it is still being sent.
fn cancel(id: u32) {
    #[cfg(feature = "hydrate")]
    if let Some(f) = CANCELS.with(|c| c.borrow_mut().remove(&id)) {
        let _ = f.call0(&wasm_bindgen::JsValue::NULL);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[cfg(feature = "hydrate")]
thread_local! {
    /// The cancel functions of the uploads under way, by id.
    static CANCELS: std::cell::RefCell<std::collections::HashMap<u32, js_sys::Function>> = Default::default();
    static NEXT_ID: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Sends each chosen file to `/file/evidence` and keeps the ids in the form.
pub(super) fn upload_chosen(
    ev: leptos::ev::Event,
    form: RwSignal<FilingForm>,
    errors: Errors,
    uploads: RwSignal<Vec<Upload>>,
    original: RwSignal<bool>,
) {
    #[cfg(feature = "hydrate")]
    {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(list) = input.files() else { return };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        input.set_value("");
        let fail = move |e: Invalid| {
            errors.update(|es| {
                es.retain(|x| x.field != "evidence");
                es.push(crate::domain::FieldError::new("evidence", e));
            })
        };
        let files: Vec<(u32, web_sys::File)> =
            files.into_iter().map(|f| (NEXT_ID.with(|n| n.replace(n.get() + 1)), f)).collect();
        uploads.update(|l| {
            l.retain(|u| u.state == UploadState::Sending);
            l.extend(files.iter().map(|(id, f)| Upload {
                id: *id,
                name: f.name(),
                sent: 0.0,
                total: f.size(),
                left: None,
                state: UploadState::Sending,
            }))
        });
        let set = move |id: u32, state: UploadState| {
            uploads.update(|l| l.iter_mut().filter(|u| u.id == id).for_each(|u| u.state = state))
        };
        leptos::task::spawn_local(async move {
            for (id, file) in files {
                let draft = form.with_untracked(|f| f.draft.clone());
                let (state, problem) = match send(id, &file, &draft, original.get_untracked(), uploads).await {
                    Sent::Stored { id: evidence, draft } => {
                        form.update(|f| {
                            f.draft = draft;
                            f.evidence =
                                if f.evidence.is_empty() { evidence } else { format!("{},{evidence}", f.evidence) }
                        });
                        errors.update(|es| es.retain(|x| x.field != "evidence"));
                        (UploadState::Done, None)
                    }
                    Sent::Refused(e) => (UploadState::Failed, Some(e)),
                    Sent::Cancelled => (UploadState::Cancelled, None),
                };
                set(id, state);
                if let Some(e) = problem {
                    fail(e);
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, form, errors, uploads, original);
}

#[cfg(feature = "hydrate")]
enum Sent {
    Stored { id: String, draft: String },
    Refused(Invalid),
    Cancelled,
}

/// One file through `window.portalUpload` (public/upload.js), its progress into `uploads`.
#[cfg(feature = "hydrate")]
async fn send(id: u32, file: &web_sys::File, draft: &str, original: bool, uploads: RwSignal<Vec<Upload>>) -> Sent {
    use js_sys::Reflect;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let started = js_sys::Date::now();
    let progress = Closure::<dyn FnMut(f64, f64)>::new(move |sent: f64, total: f64| {
        let secs = (js_sys::Date::now() - started) / 1000.0;
        let left = (sent > 0.0 && secs > 0.5).then(|| ((total - sent) / (sent / secs)).ceil().max(0.0) as u64);
        uploads.update(|l| {
            l.iter_mut().filter(|u| u.id == id).for_each(|u| {
                u.sent = sent;
                u.total = total;
                u.left = left;
            })
        });
    });
    let get = |v: &JsValue, k: &str| Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    // Without the script (not loaded: offline) the file cannot go now either.
    let Ok(upload) = get(&window().into(), "portalUpload").dyn_into::<js_sys::Function>() else {
        return Sent::Refused(Invalid::Required);
    };
    let fields = js_sys::Object::new();
    let _ = Reflect::set(&fields, &"draft".into(), &draft.into());
    // The server's limit, checked on the file as it would be sent (a photo scaled down may start
    // larger), so that nothing is sent only to be refused.
    let options = js_sys::Object::new();
    let _ = Reflect::set(&options, &"original".into(), &original.into());
    let _ = Reflect::set(&options, &"limit".into(), &(crate::domain::evidence::MAX_BYTES as f64).into());
    let args = js_sys::Array::of5(&"/file/evidence".into(), &fields, file, &options, progress.as_ref());
    let Ok(handle) = upload.apply(&JsValue::NULL, &args) else { return Sent::Refused(Invalid::Required) };
    if let Ok(cancel) = get(&handle, "cancel").dyn_into::<js_sys::Function>() {
        CANCELS.with(|c| c.borrow_mut().insert(id, cancel));
    }
    let answer = match get(&handle, "done").dyn_into::<js_sys::Promise>() {
        Ok(done) => wasm_bindgen_futures::JsFuture::from(done).await,
        Err(e) => Err(e),
    };
    let cancelled = CANCELS.with(|c| c.borrow_mut().remove(&id)).is_none();
    drop(progress);
    let Ok(answer) = answer else {
        return if cancelled { Sent::Cancelled } else { Sent::Refused(Invalid::Required) };
    };
    if get(&answer, "tooLarge").is_truthy() {
        return Sent::Refused(Invalid::FileTooLarge { max_mb: (crate::domain::evidence::MAX_BYTES >> 20) as u32 });
    }
    let status = get(&answer, "status").as_f64().unwrap_or(0.0) as u16;
    let body = get(&answer, "body").as_string().unwrap_or_default();
    match status {
        200..=299 => match serde_json::from_str::<serde_json::Value>(&body) {
            Ok(v) => Sent::Stored {
                id: v["id"].as_str().unwrap_or_default().to_owned(),
                draft: v["draft"].as_str().unwrap_or_default().to_owned(),
            },
            Err(_) => Sent::Refused(Invalid::FileType),
        },
        // Every upload slot of the server taken: try again shortly.
        503 => Sent::Refused(Invalid::UploadsPaused),
        _ => match serde_json::from_str::<crate::error::AppError>(&body) {
            Ok(crate::error::AppError::Invalid(errs)) if !errs.is_empty() => Sent::Refused(errs[0].invalid.clone()),
            _ => Sent::Refused(Invalid::FileType),
        },
    }
}

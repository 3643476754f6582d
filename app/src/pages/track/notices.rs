//! The case page's sections about being told: a reporter's "stop telling me of this report", and
//! everyone's "no more messages than the law requires". Plain forms, handled by the server.

use crate::i18n::Lang;
use leptos::prelude::*;

/// A report cannot be withdrawn; a real-name reporter may stop being told of it.
pub(super) fn stop_notices_section(lang: Lang, no: &str) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="stop-notices-title">
            <h2 id="stop-notices-title">{lang.msgs().track_stop_notices_title}</h2>
            <p>{lang.msgs().track_stop_notices_text}</p>
            <form method="post" action=format!("/track/{no}") novalidate>
                <input type="hidden" name="do" value="stop_notices" />
                <button type="submit">{lang.msgs().track_stop_notices}</button>
            </form>
        </section>
    }
}

/// Messages about the case: the consumer may ask for no more than the law requires.
pub(super) fn messages_section(lang: Lang, no: &str, off: bool) -> impl IntoView {
    let m = lang.msgs();
    view! {
        <section class="panel" aria-labelledby="messages-title" data-testid="messages">
            <h2 id="messages-title">{m.track_messages_title}</h2>
            {if off {
                view! { <p>{m.track_messages_stopped}</p> }.into_any()
            } else {
                view! {
                    <p>{m.track_messages_text}</p>
                    <form method="post" action=format!("/track/{no}") novalidate>
                        <input type="hidden" name="do" value="opt_out" />
                        <button type="submit">{m.track_messages_stop}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

/// Settled by the business, and the consumer's verdict is "not solved": the way to the bureau.
pub(super) fn to_bureau_section(lang: Lang, no: &str) -> impl IntoView {
    let m = lang.msgs();
    view! {
        <section class="panel" aria-labelledby="to-bureau-title" data-testid="to-bureau">
            <h2 id="to-bureau-title">{m.odr_to_bureau_title}</h2>
            <p>{m.odr_to_bureau_text}</p>
            <form method="post" action=format!("/track/{no}") novalidate>
                <input type="hidden" name="do" value="to_bureau" />
                <button type="submit">{m.odr_to_bureau}</button>
            </form>
        </section>
    }
}

/// The business's offer (ODR lane) and the consumer's yes or no: yes settles the dispute, no
/// passes the complaint to the market regulator. Two plain forms, handled by the server.
pub(super) fn offer_section(lang: Lang, no: &str, timeline: &[crate::views::track::TimelineEntry]) -> impl IntoView {
    let m = lang.msgs();
    let offer = timeline
        .iter()
        .rev()
        .find(|e| e.action == "odr_offer")
        .and_then(|e| e.detail.as_deref())
        .and_then(crate::domain::odr::Offer::from_detail);
    offer.map(|o| {
        let amount = crate::i18n::fill(m.odr_offer_amount, &[("amount", &o.amount.to_yuan_string())]);
        view! {
            <section class="panel" aria-labelledby="offer-title" data-testid="offer">
                <h2 id="offer-title">{m.odr_offer_heading}</h2>
                <p>{lang.msgs().term("remedy", o.remedy.code())}" · "{amount}</p>
                <p>{o.text.clone()}</p>
                <p>{m.odr_decide}</p>
                <form method="post" action=format!("/track/{no}") novalidate>
                    <input type="hidden" name="do" value="odr_accept" />
                    <button type="submit" data-testid="offer-accept">{m.odr_accept}</button>
                </form>
                <form method="post" action=format!("/track/{no}") novalidate>
                    <input type="hidden" name="do" value="odr_reject" />
                    <div class="field">
                        <label for="odr-reason">{m.odr_reason}</label>
                        <textarea id="odr-reason" name="reason" rows="3"></textarea>
                    </div>
                    <button type="submit" data-testid="offer-reject">{m.odr_reject}</button>
                </form>
            </section>
        }
    })
}

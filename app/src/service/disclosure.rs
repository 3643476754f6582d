//! Businesses' complaint records in public: the search, a business's record, and the sweep that
//! writes each closed complaint as it is disclosed (every server runs it; a write names the
//! case's version, so two servers writing the same complaint write the same row once). The
//! figures are read from the replica where there is one; the disclosed complaints themselves
//! from the primary, so that a take-down (`service::objections`) holds on every server the
//! moment it is decided.

use crate::domain::clock::{china_date, day_of, unix_ms};
use crate::domain::disclosure::{self, Handling};
use crate::domain::workflow::CaseState;
use crate::error::AppError;
use crate::ports::{DisclosedFilter, RecordedBusiness};
use crate::service::rankings;
use crate::service::state::Services;
use crate::views::disclosure::{BusinessHit, BusinessesParams, BusinessesView, RecordView};

/// Businesses listed on a page, and complaints shown of one.
pub const PAGE: i64 = 20;
const _: () = assert!(PAGE <= rankings::RANKED, "the landing page lists no more than is ranked");

/// How long after a change the servers' sweep reads it by default: a transaction that began
/// before the sweep's read but commits after it is still seen (and servers' clocks may differ a
/// little).
pub const SETTLE: std::time::Duration = std::time::Duration::from_secs(30);

/// Where the sweep has read up to, in `site_meta`.
const MARK: &str = "disclosure_mark";

fn hit(b: RecordedBusiness) -> BusinessHit {
    BusinessHit { key: b.key, name: b.name, credit_code: b.credit_code, county: b.county, complaints: b.complaints }
}

/// Reads the rankings a server shows (the search's landing page, this month's most complained
/// of) so that the first visitor after a start does not wait for them (6.7 s at 2,000,000 items).
pub async fn warm(services: &Services, now: time::OffsetDateTime) -> Result<(), AppError> {
    find(services, &BusinessesParams::default(), now).await?;
    let month = &crate::domain::stats::month_of(china_date(now));
    services
        .read_lagging(|store| async move { rankings::top(&store, &services.figures.rankings, month, PAGE).await })
        .await?;
    Ok(())
}

/// The businesses matching the search (an empty one: the most complained of), with their
/// complaints over the window.
pub async fn find(
    services: &Services,
    p: &BusinessesParams,
    now: time::OffsetDateTime,
) -> Result<BusinessesView, AppError> {
    let s = disclosure::parse_search(&p.q, &p.county, &p.category).map_err(AppError::Invalid)?;
    let (months, _) = disclosure::window(china_date(now), disclosure::rules().window_months);
    let from = months.first().cloned().unwrap_or_default();
    let (s, from_ref) = (&s, &from);
    let landing = s.norm.is_empty() && s.code.is_empty() && s.county.is_none() && s.category.is_none();
    let found = services
        .read_lagging(|store| async move {
            match landing {
                true => rankings::top(&store, &services.figures.rankings, from_ref, PAGE).await,
                false => {
                    store
                        .record_find(&s.norm, &s.code, s.county.as_deref(), s.category.as_deref(), from_ref, PAGE)
                        .await
                }
            }
        })
        .await?;
    let hot = match landing {
        true => {
            let rows = services
                .read_lagging(|store| async move { rankings::hot(&store, &services.figures.rankings, from_ref).await })
                .await?;
            disclosure::hot_by_prefecture(&rows, 3)
        }
        false => Vec::new(),
    };
    Ok(BusinessesView {
        hits: found.into_iter().map(hit).collect(),
        hot,
        from,
        to: months.last().cloned().unwrap_or_default(),
    })
}

/// A business's record: 404 for a key that is not one or has no complaint on record.
pub async fn record(
    services: &Services,
    key: &str,
    before: Option<i64>,
    lang: crate::i18n::Lang,
    now: time::OffsetDateTime,
) -> Result<RecordView, AppError> {
    if !disclosure::valid_key(key) {
        return Err(AppError::NotFound);
    }
    let today = china_date(now);
    let (_, earlier) = disclosure::window(today, disclosure::rules().window_months);
    let from = earlier.first().cloned().unwrap_or_default();
    let from = &from;
    let (business, rows, entry) = services
        .read_lagging(|store| async move {
            let business = store.record_get(key, from).await?;
            let rows = store.record_rows(key, from).await?;
            let entry = match disclosure::is_named(key) {
                true => None,
                false => store.business_get(key).await?,
            };
            Ok((business, rows, entry))
        })
        .await?;
    // The complaints from the primary: a take-down holds on every server at once.
    let filter = DisclosedFilter { business_key: Some(key.to_owned()), ..Default::default() };
    let items = services.cases.disclosed(&filter, before, PAGE + 1).await?;
    let business = business.ok_or(AppError::NotFound)?;
    let figures = disclosure::figures(&rows.0, &rows.1, today);
    let chart = chart(&figures, lang);
    let next = (items.len() as i64 > PAGE).then(|| items[PAGE as usize - 1].id);
    let pledges = entry
        .as_ref()
        .map(|e| {
            let p = e.pledges;
            [
                (p.advance_compensation, "advance_compensation"),
                (p.returns_without_reason, "returns_without_reason"),
                (p.service_station, "service_station"),
            ]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, k)| k.to_owned())
            .collect()
        })
        .unwrap_or_default();
    Ok(RecordView {
        named: disclosure::is_named(key),
        business: hit(business),
        odr: entry.map(|e| e.odr.code().to_owned()),
        pledges,
        figures,
        chart,
        items: items.into_iter().take(PAGE as usize).map(|i| (i.id, i.item, i.corrected_on)).collect(),
        next,
    })
}

fn chart(f: &crate::domain::disclosure::BusinessFigures, lang: crate::i18n::Lang) -> String {
    let m = lang.msgs();
    let months: Vec<(String, i64, i64)> = f.monthly.iter().map(|(mo, n)| (mo.clone(), *n, 0)).collect();
    crate::views::charts::trend(
        "chart-business",
        m.businesses_complaints_per_month,
        &months,
        (m.businesses_complaints, ""),
    )
}

/// Writes the complaints closed since the sweep last looked (at least `settle` ago, see
/// [`SETTLE`]) as they are disclosed, in batches until none is left. Returns how many it wrote.
pub async fn sweep(
    store: &dyn crate::ports::CaseStore,
    now: time::OffsetDateTime,
    settle: std::time::Duration,
) -> Result<usize, AppError> {
    let until = unix_ms(now) - settle.as_millis() as i64;
    let mut mark = read_mark(store.meta_get(MARK).await?.as_deref());
    let mut written = 0;
    loop {
        let (pending, reached) = store.disclosure_pending(mark, until, 500).await?;
        let mut batch = Vec::with_capacity(pending.len());
        let mut cases = match (pending.is_empty(), reached) {
            (false, Some(upto)) => store.closed_between(mark, upto).await?,
            _ => Default::default(),
        };
        for p in pending {
            // Closed when the batch was read (a complaint reopened since is not in it).
            let Some((case, events)) = cases.remove(&p.case_id) else { continue };
            let actions: Vec<_> = events.iter().map(|e| e.action).collect();
            let closed_at = events.iter().rev().find(|e| e.to_state == CaseState::Closed).map(|e| e.at);
            let closed_on = closed_at.map(day_of).unwrap_or(case.received_on);
            let known = crate::service::publish::known_of(&case);
            let recovered = case.amount_recovered.map(|f| f.0);
            let item = disclosure::disclose(
                &case.content,
                case.received_on,
                closed_on,
                Handling::of(&actions),
                recovered,
                &known,
            );
            if let Some(item) = item {
                batch.push((p.case_id, item, case.version));
            }
        }
        if !batch.is_empty() {
            store.disclose(&batch, unix_ms(now)).await?;
            written += batch.len();
        }
        match reached {
            Some(r) => {
                mark = r;
                store.meta_set(MARK, &format!("{}:{}", r.0, r.1)).await?;
            }
            None => return Ok(written),
        }
    }
}

fn read_mark(v: Option<&str>) -> (i64, i64) {
    v.and_then(|v| v.split_once(':'))
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
        .unwrap_or((i64::MIN, 0))
}

/// Disclosed complaints for the open data API: newest first, `listing.limit` at most, and the
/// cursor of the next page.
pub async fn list(
    services: &Services,
    listing: &disclosure::Listing,
) -> Result<(Vec<crate::ports::DisclosedItem>, Option<i64>), AppError> {
    let filter = DisclosedFilter {
        business_key: listing.business.clone(),
        county: listing.county.clone(),
        category: listing.category.clone(),
        from: listing.from.clone(),
        to: listing.to.clone(),
    };
    let limit = listing.limit;
    // From the primary (an indexed page of at most 100 rows): a take-down holds at once.
    let mut items = services.cases.disclosed(&filter, listing.before, limit + 1).await?;
    let next = (items.len() as i64 > limit).then(|| items[limit as usize - 1].id);
    items.truncate(limit as usize);
    Ok((items, next))
}

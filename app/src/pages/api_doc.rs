//! `/api` — the open data API explained: what it offers, its rules (read-only, no personal
//! data, a budget of requests per address), and its OpenAPI document.

use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_meta::Title;

/// The operations, with what each returns (the path, then the code of its `api_op__` message).
const OPERATIONS: &[(&str, &str)] = &[
    ("/api/v1/stats?period=2026&breakdown=category", "stats"),
    ("/api/v1/complaints?county=630102&limit=20", "complaints"),
    ("/api/v1/complaints?format=csv", "complaints_csv"),
    ("/api/v1/businesses?q=电器", "businesses"),
    ("/api/v1/businesses/{key}", "business"),
    ("/api/v1/cases", "cases"),
    ("/api/v1/divisions", "divisions"),
    ("/api/v1/categories", "categories"),
];

#[component]
pub fn ApiPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let m = lang.msgs();
    view! {
        <Title text=m.api_title />
        <h1>{m.api_heading}</h1>
        <p>{m.api_intro}</p>
        <p><a href="/api/v1/openapi.json" rel="external" data-testid="openapi-link">{m.api_document}</a></p>
        <h2>{m.api_operations}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label=m.api_operations>
            <table data-testid="api-operations">
                <thead><tr><th scope="col">{m.api_request}</th><th scope="col">{m.api_returns}</th></tr></thead>
                <tbody>
                    {OPERATIONS.iter().map(|(path, key)| view! {
                        <tr><th scope="row"><code>{"GET "}{*path}</code></th><td>{m.term("api_op", key)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>{m.api_rules}</h2>
        <ul>
            <li>{m.api_rule_read_only}</li>
            <li>{m.api_rule_personal}</li>
            <li>{m.api_rule_cache}</li>
            <li>{m.api_rule_budget}</li>
            <li>{m.api_rule_pages}</li>
        </ul>
    }
}

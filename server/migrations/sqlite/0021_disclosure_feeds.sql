-- The Atom feeds of a business and of a county list their complaints newest disclosed first.
CREATE INDEX disclosures_business_at ON disclosures (business_key, disclosed_at);
CREATE INDEX disclosures_county_at ON disclosures (county, disclosed_at);

-- The businesses complained of most this month (/stats) read one month's totals.
CREATE INDEX business_agg_month ON business_agg (month, key);

//! Webhook signature verification (being written).

//! Export profiles (placeholder).

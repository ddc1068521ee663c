//! SafeShare regional sync server library (issue 7 builds it).

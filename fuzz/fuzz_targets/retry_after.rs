#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| route_optimization_operations_fuzz::retry_after::check(data));

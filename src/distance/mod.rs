//! Edit distance kernels: every metric that needs an edit distance calls this module.

package capture

// NewMemReader exposes the memory-mode reader that Open uses, so black-box
// tests and the fuzz target exercise both read paths.
var NewMemReader = newMemReader

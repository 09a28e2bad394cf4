package imports

// SetMaxUpload lowers the upload limit for a test and returns a function
// that puts it back.
func SetMaxUpload(n int64) (restore func()) {
	previous := maxUploadBytes
	maxUploadBytes = n
	return func() { maxUploadBytes = previous }
}

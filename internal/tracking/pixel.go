package tracking

// PixelContentType is the media type to serve PixelGIF with.
const PixelContentType = "image/gif"

// PixelGIF is a 1×1 transparent GIF, the body of every pixel response.
//
// It is a minimal GIF89a, 43 bytes, that every decoder reads: a
// two-colour global palette and a graphic control extension that marks
// colour 0 as transparent, so the pixel shows nothing on any background.
var PixelGIF = []byte{
	'G', 'I', 'F', '8', '9', 'a', // signature and version
	0x01, 0x00, 0x01, 0x00, // logical screen 1×1
	0x80, 0x00, 0x00, // global palette of 2 colours, background 0, square pixels
	0x00, 0x00, 0x00, 0xff, 0xff, 0xff, // palette: black, white
	0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, // graphic control: colour 0 is transparent
	0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // image 1×1 at 0,0, no local palette
	0x02, 0x02, 0x44, 0x01, 0x00, // LZW minimum code size 2, one data block: the single pixel
	0x3b, // trailer
}

// Google Wallet's image guidelines: the program logo is masked to a circle, so it is a square of
// at least 660×660 px whose artwork keeps a 15% margin on each side; hero images are 1032×336.

export const GOOGLE_LOGO = { size: 660, inset: 0.7 } as const;
export const GOOGLE_HERO = { width: 1032, height: 336 } as const;

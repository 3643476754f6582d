// Debian's Chromium (never a downloaded browser) at a 360 × 740 phone viewport, with the flags
// that keep it from reaching for the network on its own: shared by both suites' configurations.
export const chromium = {
  browserName: 'chromium' as const,
  viewport: { width: 360, height: 740 },
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

export const metadata = { title: 'ChatKit on Next.js (test app)' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

// Test only: releases the replies the backend holds back.
import { backend } from '../../chatkit-backend.js';

export const dynamic = 'force-dynamic';

export function POST() {
  return Response.json({ released: backend.server.releaseAll() });
}

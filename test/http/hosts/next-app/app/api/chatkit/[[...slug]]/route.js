// Every ChatKit route under /api/chatkit (the endpoint, uploads, diagnostics).
import { backend } from '../../../chatkit-backend.js';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const handler = (request) => backend.handler(request);
export { handler as GET, handler as POST, handler as PUT, handler as OPTIONS, handler as DELETE, handler as PATCH };

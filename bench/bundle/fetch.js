// Browser bundle entry: the hand-written fetch cancel.
export async function cancel(base, name, token) {
  const res = await fetch(`${base}/v1/${name}:cancel`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

import { initials } from "../lib/format";

/** A round picture, or the initials when there is none. Decorative: the name is always nearby. */
export function Avatar({
  name,
  url,
  size = 32,
}: {
  name: string;
  url: string | null | undefined;
  size?: number;
}) {
  const style = { width: size, height: size, fontSize: Math.max(11, size * 0.36) };
  if (url) {
    return <img className="avatar" src={url} alt="" width={size} height={size} style={style} />;
  }
  return (
    <span className="avatar" aria-hidden="true" style={style}>
      {initials(name)}
    </span>
  );
}

/** Placeholder while the page is being built (replaced by the administration screens). */
import { Loading } from '../../components/States';

export function StructurePage({ params }: { params: string[] }) {
  return <Loading what={params.join('/') || 'Раздел'} />;
}

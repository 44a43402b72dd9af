import type { CareTask } from '../api/types.ts';
import { useResource } from '../api/useResource.ts';
import { useLang } from '../i18n/lang.tsx';
import { labelOf, priorityLabels } from '../i18n/messages.ts';
import { formatDateTime } from '../format.ts';
import { LoadError } from './LoadError.tsx';

/** Open care-team tasks about this member, with their response deadline. */
export function CareTasksSection({ memberId }: { memberId: string }) {
  const { lang, t } = useLang();
  const tasks = useResource<{ tasks: CareTask[] }>(
    `/members/${memberId}/tasks?kind=care-team&status=open`,
  );
  return (
    <section className="panel" aria-labelledby="tasks-title" data-testid="care-tasks">
      <h2 id="tasks-title">{t.careTasks}</h2>
      {tasks.error && <LoadError error={tasks.error} onRetry={tasks.reload} />}
      {!tasks.data && tasks.loading && <p className="muted">{t.loading}</p>}
      {tasks.data && tasks.data.tasks.length === 0 && <p className="muted">{t.noCareTasks}</p>}
      {tasks.data && tasks.data.tasks.length > 0 && (
        <ul className="tasks">
          {tasks.data.tasks.map((task) => (
            <li key={task.id} className={`task priority-${task.priority}`}>
              <span className={`chip priority priority-${task.priority}`}>
                {labelOf(priorityLabels, task.priority, lang)}
              </span>{' '}
              {task.title[lang]}
              {task.slaDueAt && (
                <div className="muted small">
                  {t.slaDue} {formatDateTime(task.slaDueAt, lang)}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
